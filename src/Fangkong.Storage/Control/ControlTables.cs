using Fangkong.Tasks;

namespace Fangkong.Storage.Control;

/// <summary>A new control order as the writers append it: one the loop opens (step 0), or the next step of a plan on release.</summary>
internal sealed record NewOrderRow(long Id, int PersonId, string Group, string Measure, int Step, string Status, string DayZero, string StartDate, string PlannedEnd, long? LastExposure,
    long? SourceCaseId, long IdentifiedAt, long? NotifiedAt, long? ControlledAt, long? TransferDue, long? MonitorId, string? HomeAddress, string PolicyId, string PolicyVersion,
    long UpdatedAt);

/// <summary>A step in an order's history.</summary>
internal sealed record EventRow(long OrderId, long At, string Actor, string? FromStatus, string ToStatus, string? Detail);

/// <summary>A test an order schedules on a day of its step.</summary>
internal sealed record TestRow(long OrderId, int PersonId, string DueDate, int Day);

/// <summary>A task the control loop opens; its home and first owner jurisdiction are the same.</summary>
internal sealed record TaskRow(string Key, string Kind, TaskTitle Title, string SourceKind, long SourceId, int? PersonId, long? OwnerStaffId, string Jurisdiction, int Priority,
    long DueAt, long CreatedAt);

/// <summary>The bulk shapes of the control tables, shared by the writers: each column next to the row value it takes.</summary>
internal static class ControlTables
{
    public static readonly BulkTable<NewOrderRow> Orders = BulkTable<NewOrderRow>.Of("control_orders", "id", updateOnConflict: false)
        .Long("id", o => o.Id).Int("person_id", o => o.PersonId).Text("grp", o => o.Group).Text("measure", o => o.Measure).Int("step", o => o.Step).Text("status", o => o.Status)
        .Int("active", _ => 1).Text("day_zero", o => o.DayZero).Text("start_date", o => o.StartDate).Text("planned_end", o => o.PlannedEnd).Long("last_exposure", o => o.LastExposure)
        .Long("source_case_id", o => o.SourceCaseId).Long("identified_at", o => o.IdentifiedAt).Long("notified_at", o => o.NotifiedAt).Long("controlled_at", o => o.ControlledAt)
        .Long("transfer_due", o => o.TransferDue).Long("monitor_id", o => o.MonitorId).Text("home_address", o => o.HomeAddress).Text("policy_id", o => o.PolicyId)
        .Text("policy_version", o => o.PolicyVersion).Int("version", _ => 1).Long("updated_at", o => o.UpdatedAt);

    public static readonly BulkTable<EventRow> Events = BulkTable<EventRow>.Of("control_events", "id", updateOnConflict: false)
        .Long("order_id", e => e.OrderId).Long("at", e => e.At).Text("actor", e => e.Actor).Text("from_status", e => e.FromStatus).Text("to_status", e => e.ToStatus)
        .Text("detail", e => e.Detail);

    public static readonly BulkTable<TestRow> Tests = BulkTable<TestRow>.Of("scheduled_tests", "order_id, due_date", updateOnConflict: false)
        .Long("order_id", t => t.OrderId).Int("person_id", t => t.PersonId).Text("due_date", t => t.DueDate).Int("day_number", t => t.Day);

    public static readonly BulkTable<TaskRow> Tasks = BulkTable<TaskRow>.Of("tasks", "task_key", updateOnConflict: false)
        .Text("task_key", t => t.Key).Text("kind", t => t.Kind).Text("title", t => t.Title.Encode()).Text("source_kind", t => t.SourceKind).Long("source_id", t => t.SourceId)
        .Int("person_id", t => t.PersonId).Long("owner_staff_id", t => t.OwnerStaffId).Text("owner_jurisdiction", t => t.Jurisdiction).Text("home_jurisdiction", t => t.Jurisdiction)
        .Int("priority", t => t.Priority).Long("due_at", t => t.DueAt).Text("status", _ => "open").Int("escalation_level", _ => 0).Long("created_at", t => t.CreatedAt);
}
