namespace Fangkong.Control;

/// <summary>A control order (管控令) as stored: one per person active at a time, with the loop's timestamps and a version for optimistic concurrency.</summary>
public sealed record ControlOrder(
    long Id,
    int PersonId,
    ControlGroup Group,
    ControlMeasure Measure,
    int Step,
    ControlStatus Status,
    bool Active,
    DateOnly DayZero,
    DateOnly StartDate,
    DateOnly? PlannedEnd,
    long? LastExposure,
    int? SourceCaseId,
    long IdentifiedAt,
    long? NotifiedAt,
    long? ControlledAt,
    long? ClosedAt,
    long? TransferDue,
    long? MonitorId,
    string? HomeAddress,
    string? LostReason,
    string PolicyId,
    string PolicyVersion,
    int Version);
