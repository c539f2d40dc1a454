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
    /// <summary>The codes of <see cref="UnmetCriterion"/>.</summary>
    public static IReadOnlyList<string> Codes { get; } = ["not_under_control", "case_last_tests", "before_planned_end", "test_no_result", "test_not_negative", "close_contact_tests"];

    /// <summary>The unmet criteria in words (English), for the command line and logs.</summary>
    public static IReadOnlyList<string> Unmet(ReleaseFacts f, DateOnly today) => UnmetCriteria(f, today).Select(u => u.Text).ToList();

    /// <summary>The unmet criteria with a code and arguments each, so that a screen can say them in its own language.</summary>
    public static IReadOnlyList<UnmetCriterion> UnmetCriteria(ReleaseFacts f, DateOnly today)
    {
        var reasons = new List<UnmetCriterion>();
        if (f.Status != ControlStatus.UnderControl)
        {
            reasons.Add(new("not_under_control", $"the person is not under control (status {f.Status.ToCode()})", f.Status.ToCode()));
        }
        if (f.Group == ControlGroup.Case)
        {
            var last = f.Tests.Where(t => t.Result is not null).TakeLast(2).ToList();
            if (last.Count < 2 || last.Any(t => t.Result != "negative"))
            {
                reasons.Add(new("case_last_tests", "a case is released (discharged) only after its last two tests are negative"));
            }
            return reasons;
        }
        if (today < f.PlannedEnd)
        {
            reasons.Add(new("before_planned_end", $"the planned end is {f.PlannedEnd:yyyy-MM-dd}; today is {today:yyyy-MM-dd}", Iso(f.PlannedEnd), Iso(today)));
        }
        foreach (var t in f.Tests)
        {
            if (t.Result is null)
            {
                reasons.Add(new("test_no_result", $"the day-{t.DayNumber} test ({t.DueDate:yyyy-MM-dd}) has no result", Number(t.DayNumber), Iso(t.DueDate)));
            }
            else if (t.Result != "negative")
            {
                reasons.Add(new("test_not_negative", $"the day-{t.DayNumber} test ({t.DueDate:yyyy-MM-dd}) is {t.Result}", Number(t.DayNumber), Iso(t.DueDate), t.Result));
            }
        }
        if (f.Group == ControlGroup.SecondaryContact && f.SecondaryNeedsCloseContactNegatives > 0)
        {
            var first = (f.CloseContactTestsInOrder ?? []).Take(f.SecondaryNeedsCloseContactNegatives).ToList();
            if (first.Count < f.SecondaryNeedsCloseContactNegatives || first.Any(r => r != "negative"))
            {
                reasons.Add(new("close_contact_tests", $"the matching close contact's first {f.SecondaryNeedsCloseContactNegatives} tests are not all negative yet", Number(f.SecondaryNeedsCloseContactNegatives)));
            }
        }
        return reasons;
    }

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static string Number(int n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>One unmet release criterion: a stable code, the English wording, and the values a translation needs.</summary>
public sealed record UnmetCriterion(string Code, string Text, params string[] Args);

/// <summary>A release refused: every unmet criterion, in words and as codes.</summary>
public sealed class ReleaseRefusedException(string message, IReadOnlyList<UnmetCriterion> unmet, long orderId) : RefusedException(message)
{
    public IReadOnlyList<UnmetCriterion> Unmet { get; } = unmet;

    /// <summary>The order that could not be released.</summary>
    public long OrderId { get; } = orderId;
}
