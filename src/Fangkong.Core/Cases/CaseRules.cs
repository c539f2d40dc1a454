using Fangkong.Time;

namespace Fangkong.Cases;

/// <summary>A field of a case record that does not hold, with a stable code (UI text <c>case.invalid.{code}</c>).</summary>
public sealed record CaseProblem(string Field, string Code, string Message);

/// <summary>
/// What a case record must satisfy, said once for the form, the command line, the API and the cases
/// file: its tracing window starts from the onset date or the sampling time, so it needs one of them;
/// it is not reported before its onset, nor sampled after it was reported; a recorded case is
/// confirmed, asymptomatic or suspected (not_a_case is only reached by reclassification).
/// </summary>
public static class CaseRules
{
    public static IReadOnlyList<CaseProblem> Problems(CaseClassification classification, DateOnly? onset, long? sampling, long report, DeploymentCalendar calendar)
    {
        var problems = new List<CaseProblem>();
        if (classification == CaseClassification.NotACase)
        {
            problems.Add(new("classification", "notRecorded", "a case is recorded as confirmed, asymptomatic or suspected"));
        }
        if (onset is null && sampling is null)
        {
            problems.Add(new("onset", "onsetOrSampling", "a case needs an onset date or a sampling time: its tracing window starts from one of them"));
        }
        if (onset is { } o && calendar.LocalDate(report) < o)
        {
            problems.Add(new("report", "reportBeforeOnset", $"the report time {calendar.Format(report)} is before the onset date {o:yyyy-MM-dd}"));
        }
        return problems;
    }
}
