namespace Fangkong.Tasks;

/// <summary>
/// A task (任务): what must be done (kind, and a title shown in the reader's language), about what (source, person), who answers for it
/// (a member of staff, else the owner jurisdiction, which moves up as the task escalates from its home
/// jurisdiction), by when (Unix seconds), and its state; <see cref="Version"/> guards a change made meanwhile.
/// </summary>
public sealed record TaskItem(long Id, string Key, string Kind, TaskTitle Title, string SourceKind, long SourceId, string? PersonKey, string? OwnerStaffKey, string? OwnerStaffName,
    string OwnerJurisdiction, string HomeJurisdiction, int Priority, long DueAt, string Status, int EscalationLevel, long? DoneAt, string? DoneBy, int Version);
