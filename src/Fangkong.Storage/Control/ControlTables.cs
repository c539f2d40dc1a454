namespace Fangkong.Storage.Control;

/// <summary>The bulk shapes of the control tables, shared by the writers.</summary>
internal static class ControlTables
{
    public static readonly BulkTable Orders = new("control_orders",
    [
        ("id", ColumnKind.Long), ("person_id", ColumnKind.Int), ("grp", ColumnKind.Text), ("measure", ColumnKind.Text), ("step", ColumnKind.Int), ("status", ColumnKind.Text),
        ("active", ColumnKind.Int), ("day_zero", ColumnKind.Text), ("start_date", ColumnKind.Text), ("planned_end", ColumnKind.Text), ("last_exposure", ColumnKind.Long),
        ("source_case_id", ColumnKind.Long), ("identified_at", ColumnKind.Long), ("notified_at", ColumnKind.Long), ("controlled_at", ColumnKind.Long), ("transfer_due", ColumnKind.Long),
        ("monitor_id", ColumnKind.Long), ("home_address", ColumnKind.Text), ("policy_id", ColumnKind.Text), ("policy_version", ColumnKind.Text), ("version", ColumnKind.Int),
        ("updated_at", ColumnKind.Long),
    ], "id", UpdateOnConflict: false);

    public static readonly BulkTable Events = new("control_events",
    [
        ("order_id", ColumnKind.Long), ("at", ColumnKind.Long), ("actor", ColumnKind.Text), ("from_status", ColumnKind.Text), ("to_status", ColumnKind.Text), ("detail", ColumnKind.Text),
    ], "id", UpdateOnConflict: false);

    public static readonly BulkTable Tests = new("scheduled_tests",
    [
        ("order_id", ColumnKind.Long), ("person_id", ColumnKind.Int), ("due_date", ColumnKind.Text), ("day_number", ColumnKind.Int),
    ], "order_id, due_date", UpdateOnConflict: false);

    public static readonly BulkTable Tasks = new("tasks",
    [
        ("task_key", ColumnKind.Text), ("kind", ColumnKind.Text), ("title", ColumnKind.Text), ("source_kind", ColumnKind.Text), ("source_id", ColumnKind.Long),
        ("person_id", ColumnKind.Int), ("owner_staff_id", ColumnKind.Long), ("owner_jurisdiction", ColumnKind.Text), ("home_jurisdiction", ColumnKind.Text),
        ("priority", ColumnKind.Int), ("due_at", ColumnKind.Long), ("status", ColumnKind.Text), ("escalation_level", ColumnKind.Int), ("created_at", ColumnKind.Long),
    ], "task_key", UpdateOnConflict: false);

    /// <summary>A task row for <see cref="Tasks"/>.</summary>
    public static object?[] Task(string key, string kind, string title, string sourceKind, long sourceId, int? person, long? ownerStaff, string jurisdiction, int priority, long due, long now) =>
        [key, kind, title, sourceKind, sourceId, person, ownerStaff, jurisdiction, jurisdiction, priority, due, "open", 0, now];
}
