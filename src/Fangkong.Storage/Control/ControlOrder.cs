using System.Globalization;
using Fangkong.Control;

namespace Fangkong.Storage.Control;

/// <summary>One step of an order's loop: when, who, from and to which status, and why.</summary>
public sealed record ControlEvent(long OrderId, long At, string Actor, string? From, string To, string? Detail);

/// <summary>A scheduled test of an order and its sample, if taken.</summary>
public sealed record TestSlot(long Id, long OrderId, int PersonId, DateOnly DueDate, int DayNumber, string? SampleKey, long? SampledAt, string? Result, long? ResultAt);

internal sealed class OrderRow
{
    public const string Columns =
        "id AS Id, person_id AS PersonId, grp AS Grp, measure AS Measure, step AS Step, status AS Status, active AS Active, day_zero AS DayZero, start_date AS StartDate, " +
        "planned_end AS PlannedEnd, last_exposure AS LastExposure, source_case_id AS SourceCaseId, identified_at AS IdentifiedAt, notified_at AS NotifiedAt, controlled_at AS ControlledAt, " +
        "closed_at AS ClosedAt, transfer_due AS TransferDue, monitor_id AS MonitorId, home_address AS HomeAddress, lost_reason AS LostReason, policy_id AS PolicyId, policy_version AS PolicyVersion, version AS Version";

    /// <summary>The columns qualified by a table alias, for joins.</summary>
    public static string ColumnsOf(string alias) =>
        string.Join(", ", Columns.Split(", ").Select(c => alias + "." + c));

    public long Id { get; set; }
    public long PersonId { get; set; }
    public string Grp { get; set; } = "";
    public string Measure { get; set; } = "";
    public long Step { get; set; }
    public string Status { get; set; } = "";
    public long Active { get; set; }
    public string DayZero { get; set; } = "";
    public string StartDate { get; set; } = "";
    public string? PlannedEnd { get; set; }
    public long? LastExposure { get; set; }
    public long? SourceCaseId { get; set; }
    public long IdentifiedAt { get; set; }
    public long? NotifiedAt { get; set; }
    public long? ControlledAt { get; set; }
    public long? ClosedAt { get; set; }
    public long? TransferDue { get; set; }
    public long? MonitorId { get; set; }
    public string? HomeAddress { get; set; }
    public string? LostReason { get; set; }
    public string PolicyId { get; set; } = "";
    public string PolicyVersion { get; set; } = "";
    public long Version { get; set; }

    public ControlOrder ToOrder() => new(
        Id, (int)PersonId, ControlCodes.ParseGroup(Grp), ControlCodes.ParseMeasure(Measure), (int)Step, ControlLoop.Parse(Status), Active != 0,
        Dates.Parse(DayZero), Dates.Parse(StartDate), PlannedEnd is null ? null : Dates.Parse(PlannedEnd), LastExposure, (int?)SourceCaseId,
        IdentifiedAt, NotifiedAt, ControlledAt, ClosedAt, TransferDue, MonitorId, HomeAddress, LostReason, PolicyId, PolicyVersion, (int)Version);
}

/// <summary>Dates are stored as ISO text (YYYY-MM-DD) on both providers.</summary>
internal static class Dates
{
    public static DateOnly Parse(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string? Format(DateOnly? date) => date is { } d && d != DateOnly.MaxValue ? Format(d) : null;
}
