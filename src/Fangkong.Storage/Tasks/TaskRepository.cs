using Dapper;
using Fangkong.Control;
using Fangkong.Jurisdictions;
using Fangkong.Storage.Control;
using Fangkong.Tasks;
using Fangkong.Time;

namespace Fangkong.Storage.Tasks;

/// <summary>A filter for task lists; null members do not filter.</summary>
/// <param name="WithResidents">With <paramref name="Within"/>: also the tasks about people living there, even when escalated above it.</param>
/// <param name="OfferedKinds">Only these kinds (the ones the viewer may act on); null: every kind.</param>
/// <param name="PersonTasks">False: only tasks that concern no person (for a role that sees nobody's order).</param>
/// <param name="Community">Only the tasks about people of this community (its full code).</param>
/// <param name="DueFrom">Only tasks due at or after this time (epoch seconds).</param>
/// <param name="DueBefore">Only tasks due before this time (epoch seconds).</param>
public sealed record TaskQuery(JurisdictionCode? Within = null, string? OwnerStaffKey = null, string? Status = "open", bool OverdueOnly = false, string? Kind = null, int Limit = 1000, bool WithResidents = false,
    IReadOnlyList<string>? OfferedKinds = null, bool PersonTasks = true, string? Community = null, long? DueFrom = null, long? DueBefore = null)
{
    /// <summary>A text that tells two queries apart (for cached counts).</summary>
    public string CacheKey => $"{Within?.Value}|{OwnerStaffKey}|{Status}|{OverdueOnly}|{Kind}|{WithResidents}|{(OfferedKinds is null ? "*" : string.Join(',', OfferedKinds))}|{PersonTasks}|{Community}|{DueFrom}|{DueBefore}";
}

/// <summary>How a task board groups its rows: by kind, by the person's community, or by the day a task falls due.</summary>
public enum TaskGrouping
{
    None,
    Kind,
    Community,
    DueDay,
}

/// <summary>One group of a task board: its key (a kind, a community code, a local day "yyyy-MM-dd"), how many tasks and the earliest due.</summary>
public sealed record TaskBoardGroup(string Key, long Count, long FirstDue);

/// <summary>Open tasks of one kind owned by one jurisdiction: how many, the oldest due time, the highest escalation.</summary>
public sealed record TaskGroup(string Kind, string OwnerJurisdiction, long Count, long OldestDue, long Escalation);

/// <summary>One task model for everything that must be done (C11): list, complete, escalate.</summary>
public static class TaskRepository
{
    private sealed class Row
    {
        public long Id { get; set; }
        public string TaskKey { get; set; } = "";
        public string Kind { get; set; } = "";
        public string Title { get; set; } = "";
        public string SourceKind { get; set; } = "";
        public long SourceId { get; set; }
        public string? PersonKey { get; set; }
        public string? StaffKey { get; set; }
        public string? StaffName { get; set; }
        public string OwnerJurisdiction { get; set; } = "";
        public string HomeJurisdiction { get; set; } = "";
        public long Priority { get; set; }
        public long DueAt { get; set; }
        public string Status { get; set; } = "";
        public long EscalationLevel { get; set; }
        public long? DoneAt { get; set; }
        public string? DoneBy { get; set; }
        public long Version { get; set; }
    }

    private const string Select =
        "SELECT t.id AS Id, t.task_key AS TaskKey, t.kind AS Kind, t.title AS Title, t.source_kind AS SourceKind, t.source_id AS SourceId, p.person_key AS PersonKey, " +
        "s.staff_key AS StaffKey, s.name AS StaffName, t.owner_jurisdiction AS OwnerJurisdiction, t.home_jurisdiction AS HomeJurisdiction, t.priority AS Priority, t.due_at AS DueAt, " +
        "t.status AS Status, t.escalation_level AS EscalationLevel, t.done_at AS DoneAt, t.done_by AS DoneBy, t.version AS Version " +
        "FROM tasks t LEFT JOIN persons p ON p.id = t.person_id LEFT JOIN staff s ON s.id = t.owner_staff_id";

    public static async Task<List<TaskItem>> ListAsync(Database db, TaskQuery q, CancellationToken ct = default)
    {
        var (where, args) = Filter(q, db.Now);
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<Row>(new CommandDefinition(Select + InPriorityOrder(db, q, where) + " ORDER BY t.priority, t.due_at, t.id LIMIT @Limit", args, cancellationToken: ct));
        return rows.Select(ToItem).ToList();
    }

    /// <summary>
    /// Overdue tasks grouped by kind and owning jurisdiction (the dashboard's table: one row per group,
    /// not ten identical rows): how many, the oldest due time and the highest escalation, most first.
    /// </summary>
    public static async Task<List<TaskGroup>> GroupsAsync(Database db, TaskQuery q, int limit, CancellationToken ct = default)
    {
        var (where, args) = Filter(q, db.Now);
        var parameters = new DynamicParameters(args);
        parameters.Add("GroupLimit", limit);
        await using var c = await db.OpenConnectionAsync(ct);
        // Read through a settable row: with no overdue task at all, SQLite reports the aggregates' types as
        // blobs, which no constructor of the record matches.
        var rows = await c.QueryAsync<GroupRow>(new CommandDefinition(
            "SELECT t.kind AS Kind, t.owner_jurisdiction AS OwnerJurisdiction, CAST(COUNT(*) AS BIGINT) AS Count, CAST(MIN(t.due_at) AS BIGINT) AS OldestDue, CAST(MAX(t.escalation_level) AS BIGINT) AS Escalation FROM tasks t" + where +
            " GROUP BY t.kind, t.owner_jurisdiction ORDER BY COUNT(*) DESC, MIN(t.due_at), t.kind, t.owner_jurisdiction LIMIT @GroupLimit", parameters, cancellationToken: ct));
        return [.. rows.Select(r => new TaskGroup(r.Kind, r.OwnerJurisdiction, r.Count, r.OldestDue, r.Escalation))];
    }

    private sealed class GroupRow
    {
        public string Kind { get; set; } = "";
        public string OwnerJurisdiction { get; set; } = "";
        public long Count { get; set; }
        public long OldestDue { get; set; }
        public long Escalation { get; set; }
    }

    /// <summary>The column a grouping sorts and counts by; the local day shifts UTC by the zone's standard offset (China keeps no summer time).</summary>
    private static string GroupColumn(TaskGrouping g, int offsetSeconds) => g switch
    {
        TaskGrouping.Kind => "t.kind",
        TaskGrouping.Community => "t.home_jurisdiction",
        TaskGrouping.DueDay => $"((t.due_at + {offsetSeconds}) / 86400)",
        _ => throw new ArgumentOutOfRangeException(nameof(g)),
    };

    /// <summary>
    /// The groups of the tasks that match, in the order the board shows them (the grouping's own order),
    /// at most <paramref name="limit"/>: the headings and counts of a grouped board.
    /// </summary>
    public static async Task<List<TaskBoardGroup>> BoardGroupsAsync(Database db, TaskQuery q, TaskGrouping grouping, int limit, CancellationToken ct = default)
    {
        var offset = (int)db.Calendar.Zone.BaseUtcOffset.TotalSeconds;
        var column = GroupColumn(grouping, offset);
        var (where, args) = Filter(q, db.Now);
        var parameters = new DynamicParameters(args);
        parameters.Add("GroupLimit", limit);
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<(object Key, long Count, long FirstDue)>(new CommandDefinition(
            $"SELECT {column} AS GroupKey, CAST(COUNT(*) AS BIGINT) AS Count, CAST(MIN(t.due_at) AS BIGINT) AS FirstDue FROM tasks t" +
            (q.OwnerStaffKey is null ? "" : " LEFT JOIN staff s ON s.id = t.owner_staff_id") + where +
            $" GROUP BY {column} ORDER BY {column} LIMIT @GroupLimit", parameters, cancellationToken: ct));
        return rows.Select(r => new TaskBoardGroup(grouping == TaskGrouping.DueDay
            ? DeploymentCalendar.FromDayNumber((int)Convert.ToInt64(r.Key, System.Globalization.CultureInfo.InvariantCulture)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)
            : Convert.ToString(r.Key, System.Globalization.CultureInfo.InvariantCulture) ?? "", r.Count, r.FirstDue)).ToList();
    }

    private static readonly Dictionary<string, string> Sorts = new(StringComparer.Ordinal)
    {
        ["due"] = "t.due_at",
        ["priority"] = "t.priority",
        ["kind"] = "t.kind",
        ["escalation"] = "t.escalation_level",
    };

    /// <summary>One page of the tasks that match (the query's limit does not apply), sorted by due|priority|kind|escalation.</summary>
    /// <param name="countVia">How to obtain the total: given the counting query, the caller may reuse a recent answer.</param>
    /// <param name="grouping">Rows of a group come together (in the grouping's order), sorted inside it as asked.</param>
    public static async Task<Page<TaskItem>> FindAsync(Database db, TaskQuery q, PageRequest page, Func<Func<Task<long>>, Task<long>>? countVia = null,
        TaskGrouping grouping = TaskGrouping.None, CancellationToken ct = default)
    {
        var (where, args) = Filter(q, db.Now);
        var pageWhere = InPriorityOrder(db, q, where);
        var parameters = new DynamicParameters(args);
        parameters.Add("Offset", page.Offset);
        parameters.Add("PageLimit", page.Limit);
        await using var c = await db.OpenConnectionAsync(ct);
        Task<long> Count() => c.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM tasks t" + (q.OwnerStaffKey is null ? "" : " LEFT JOIN staff s ON s.id = t.owner_staff_id") + where, parameters, cancellationToken: CancellationToken.None));
        var total = countVia is null ? await Count() : await countVia(Count);
        var rows = await c.QueryAsync<Row>(new CommandDefinition(
            Select + pageWhere + " " + Grouped(page.OrderBy(Sorts, "t.priority", "t.due_at, t.id"), grouping, (int)db.Calendar.Zone.BaseUtcOffset.TotalSeconds) + " LIMIT @PageLimit OFFSET @Offset", parameters, cancellationToken: ct));
        return new Page<TaskItem>(rows.Select(ToItem).ToList(), total, page);
    }

    private static string Grouped(string orderBy, TaskGrouping grouping, int offsetSeconds) =>
        grouping == TaskGrouping.None ? orderBy : orderBy.Replace("ORDER BY ", $"ORDER BY {GroupColumn(grouping, offsetSeconds)}, ", StringComparison.Ordinal);

    /// <summary>The tasks with these ids (a bulk action's selection), in no particular order; unknown ids are left out.</summary>
    public static async Task<List<TaskItem>> FindManyAsync(Database db, IReadOnlyCollection<long> ids, CancellationToken ct = default)
    {
        var found = new List<TaskItem>(ids.Count);
        await using var c = await db.OpenConnectionAsync(ct);
        foreach (var chunk in ids.Distinct().Chunk(500))
        {
            // Ids are numbers: written into the text (Npgsql does not expand IN @list).
            var rows = await c.QueryAsync<Row>(new CommandDefinition(Select + $" WHERE t.id IN ({string.Join(",", chunk)})", cancellationToken: ct));
            found.AddRange(rows.Select(ToItem));
        }
        return found;
    }

    /// <summary>
    /// SQLite alone: for a county or a city (a large share of all tasks), walking the priority index and
    /// testing each task beats gathering every task of the jurisdiction and sorting it; unary '+' keeps
    /// the planner off the jurisdiction indexes for a page (counts still use them).
    /// </summary>
    private static string InPriorityOrder(Database db, TaskQuery q, string where) =>
        db.Provider == StoreProvider.Sqlite && q.Within is { Level: JurisdictionLevel.County or JurisdictionLevel.City }
            ? where.Replace("t.owner_jurisdiction LIKE", "+t.owner_jurisdiction LIKE", StringComparison.Ordinal).Replace("t.home_jurisdiction LIKE", "+t.home_jurisdiction LIKE", StringComparison.Ordinal)
            : where;

    private static (string Where, object Args) Filter(TaskQuery q, long now)
    {
        var where = new List<string>();
        if (q.Status is not null)
        {
            where.Add("t.status = @Status");
        }
        if (q.Within is { Level: not JurisdictionLevel.Province })
        {
            // A jurisdiction sees tasks owned inside it and tasks escalated to it (and, if asked, those about its residents); the region sees all.
            where.Add(q.WithResidents ? "(t.owner_jurisdiction LIKE @prefix OR t.home_jurisdiction LIKE @prefix)" : "t.owner_jurisdiction LIKE @prefix");
        }
        if (q.OwnerStaffKey is not null)
        {
            where.Add("s.staff_key = @OwnerStaffKey");
        }
        if (q.OverdueOnly)
        {
            where.Add("t.due_at < @now");
        }
        if (q.Kind is not null)
        {
            where.Add("t.kind = @Kind");
        }
        if (q.OfferedKinds is { } kinds)
        {
            // Kinds are the task model's own codes (letters and '_' only), written into the text.
            where.Add(kinds.Count == 0 ? "1 = 0" : $"t.kind IN ({string.Join(", ", kinds.Where(k => k.All(ch => char.IsAsciiLetterLower(ch) || ch == '_')).Select(k => $"'{k}'"))})");
        }
        if (!q.PersonTasks)
        {
            where.Add("t.person_id IS NULL");
        }
        if (q.Community is not null)
        {
            where.Add("t.home_jurisdiction = @Community");
        }
        if (q.DueFrom is not null)
        {
            where.Add("t.due_at >= @DueFrom");
        }
        if (q.DueBefore is not null)
        {
            where.Add("t.due_at < @DueBefore");
        }
        var sql = where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "";
        return (sql, new { q.Status, prefix = q.Within is { } w ? Scope.Prefix(w) + "%" : null, q.OwnerStaffKey, now, q.Kind, q.Limit, q.Community, q.DueFrom, q.DueBefore });
    }

    public static async Task<TaskItem?> FindAsync(Database db, long id, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(Select + " WHERE t.id = @id", new { id }, cancellationToken: ct));
        return row is null ? null : ToItem(row);
    }

    public static async Task<TaskItem> DoneAsync(Database db, long id, string actor, string? note, int? expectedVersion = null, CancellationToken ct = default)
    {
        var task = await FindAsync(db, id, ct) ?? throw new RefusedException($"no task #{id}", "task.missing", id);
        if (task.Status != "open")
        {
            throw new RefusedException($"task #{id} is already {task.Status}", "task.notOpen", id);
        }
        var version = expectedVersion ?? task.Version;
        await using var c = await db.OpenConnectionAsync(ct);
        var n = await c.ExecuteAsync(new CommandDefinition(
            "UPDATE tasks SET status = 'done', done_at = @now, done_by = @actor, note = @note, version = version + 1 WHERE id = @id AND version = @version AND status = 'open'",
            new { now = db.Now, actor, note, id, version }, cancellationToken: ct));
        if (n == 0)
        {
            throw new ConcurrencyException($"task #{id} was changed by someone else; reload it and act again");
        }
        return (await FindAsync(db, id, ct))!;
    }

    /// <summary>Moves an open task one level up the jurisdiction chain by hand, recording the escalation.</summary>
    public static async Task<TaskItem> EscalateAsync(Database db, long id, string actor, CancellationToken ct = default)
    {
        var task = await FindAsync(db, id, ct) ?? throw new RefusedException($"no task #{id}", "task.missing", id);
        if (task.Status != "open")
        {
            throw new RefusedException($"task #{id} is {task.Status}; only open tasks escalate");
        }
        if (task.EscalationLevel >= TaskEscalation.Top)
        {
            throw new RefusedException($"task #{id} is already with the region");
        }
        await using var s = await StoreSession.BeginAsync(db, ct);
        await EscalateAsync(s, task.Id, task.Version, JurisdictionCode.Parse(task.HomeJurisdiction), task.OwnerJurisdiction, task.EscalationLevel + 1, task.DueAt, $"escalated by {actor}", ct);
        await s.CommitAsync(ct);
        return (await FindAsync(db, id, ct))!;
    }

    internal static async Task EscalateAsync(StoreSession s, long id, int version, JurisdictionCode home, string from, int level, long dueAt, string why, CancellationToken ct)
    {
        var now = s.Db.Now;
        var to = TaskEscalation.OwnerAt(home, level).Value;
        var n = await s.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE tasks SET owner_jurisdiction = @to, escalation_level = @level, owner_staff_id = NULL, version = version + 1 WHERE id = @id AND version = @version",
            new { to, level, id, version }, s.Transaction, cancellationToken: ct));
        if (n == 0)
        {
            throw new ConcurrencyException($"task #{id} was changed by someone else; reload it and act again");
        }
        await s.Connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO task_escalations (task_id, at, from_jurisdiction, to_jurisdiction, hours_overdue, reason) VALUES (@id, @now, @from, @to, @hours, @why)",
            new { id, now, from, to, hours = (int)Math.Max(0, (now - dueAt) / 3600), why }, s.Transaction, cancellationToken: ct));
    }

    public static async Task<List<(long At, string From, string To, int HoursOverdue, string Reason)>> EscalationsAsync(Database db, long taskId, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return (await c.QueryAsync<(long, string, string, long, string)>(new CommandDefinition(
            "SELECT at, from_jurisdiction, to_jurisdiction, hours_overdue, reason FROM task_escalations WHERE task_id = @taskId ORDER BY id", new { taskId }, cancellationToken: ct)))
            .Select(r => (r.Item1, r.Item2, r.Item3, (int)r.Item4, r.Item5)).ToList();
    }

    private static TaskItem ToItem(Row r) => new(r.Id, r.TaskKey, r.Kind, TaskTitle.Decode(r.Title), r.SourceKind, r.SourceId, r.PersonKey, r.StaffKey, r.StaffName, r.OwnerJurisdiction, r.HomeJurisdiction,
        (int)r.Priority, r.DueAt, r.Status, (int)r.EscalationLevel, r.DoneAt, r.DoneBy, (int)r.Version);
}
