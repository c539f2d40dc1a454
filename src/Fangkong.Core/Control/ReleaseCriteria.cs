namespace Fangkong.Control;

/// <summary>A test on a person's schedule as release sees it.</summary>
public sealed record ScheduledTest(DateOnly DueDate, int DayNumber, string? Result);

/// <summary>What release needs to know about an order: its plan step and tests, and for a secondary contact the close contact's first tests.</summary>
public sealed record ReleaseFacts(
    ControlGroup Group,
    ControlStatus Status,
    DateOnly PlannedEnd,
    IReadOnlyList<ScheduledTest> Tests,
    IReadOnlyList<string?>? CloseContactTestsInOrder,
    int SecondaryNeedsCloseContactNegatives);

/// <summary>
/// The policy's release criteria (解除隔离): the planned end reached, every scheduled test sampled
/// and negative, and for a secondary contact the matching close contact's first N tests negative.
/// Returns every unmet criterion, so a refusal says all that is missing at once.
/// </summary>
public static class ReleaseCriteria
{
    public static IReadOnlyList<string> Unmet(ReleaseFacts f, DateOnly today)
    {
        var reasons = new List<string>();
        if (f.Status != ControlStatus.UnderControl)
        {
            reasons.Add($"the person is not under control (status {f.Status.ToCode()})");
        }
        if (f.Group == ControlGroup.Case)
        {
            var last = f.Tests.Where(t => t.Result is not null).TakeLast(2).ToList();
            if (last.Count < 2 || last.Any(t => t.Result != "negative"))
            {
                reasons.Add("a case is released (discharged) only after its last two tests are negative");
            }
            return reasons;
        }
        if (today < f.PlannedEnd)
        {
            reasons.Add($"the planned end is {f.PlannedEnd:yyyy-MM-dd}; today is {today:yyyy-MM-dd}");
        }
        foreach (var t in f.Tests)
        {
            if (t.Result is null)
            {
                reasons.Add($"the day-{t.DayNumber} test ({t.DueDate:yyyy-MM-dd}) has no result");
            }
            else if (t.Result != "negative")
            {
                reasons.Add($"the day-{t.DayNumber} test ({t.DueDate:yyyy-MM-dd}) is {t.Result}");
            }
        }
        if (f.Group == ControlGroup.SecondaryContact && f.SecondaryNeedsCloseContactNegatives > 0)
        {
            var first = (f.CloseContactTestsInOrder ?? []).Take(f.SecondaryNeedsCloseContactNegatives).ToList();
            if (first.Count < f.SecondaryNeedsCloseContactNegatives || first.Any(r => r != "negative"))
            {
                reasons.Add($"the matching close contact's first {f.SecondaryNeedsCloseContactNegatives} tests are not all negative yet");
            }
        }
        return reasons;
    }
}
