using Fangkong.Time;

namespace Fangkong.Tracing;

/// <summary>
/// A case's tracing window [Start, End) in Unix seconds (SPEC 4.2 rule 1): from 00:00 local time on
/// (onset date − N days), or on (local date of sampling − N days) when there is no onset date, to the
/// isolation time, else the report time. N is the policy's window.
/// </summary>
public readonly record struct TracingWindow(long Start, long End)
{
    public bool IsEmpty => End <= Start;

    public static TracingWindow For(DateOnly? onset, long? samplingTime, long reportTime, long? isolationTime, int daysBefore, DeploymentCalendar calendar)
    {
        var anchor = onset ?? (samplingTime is { } s ? calendar.LocalDate(s) : throw new ArgumentException("A case needs an onset date or a sampling time."));
        return new TracingWindow(calendar.StartOfDay(anchor.AddDays(-daysBefore)), isolationTime ?? reportTime);
    }
}
