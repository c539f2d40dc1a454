using System.Data.Common;
using Dapper;
using Fangkong.Control;
using Fangkong.Jurisdictions;

namespace Fangkong.Storage.Control;

/// <summary>A filter for order lists; null members do not filter.</summary>
/// <param name="PlannedEndBy">Only orders (not cases') whose planned end is on or before this day.</param>
public sealed record OrderQuery(ControlStatus? Status = null, ControlGroup? Group = null, JurisdictionCode? Within = null, bool ActiveOnly = true, int Limit = 1000, DateOnly? PlannedEndBy = null);

/// <summary>Reads of control orders, their loop, tests and checks.</summary>
public static class ControlRepository
{
    public static async Task<ControlOrder?> FindAsync(Database db, long id, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return await FindAsync(c, null, id, ct);
    }

    internal static async Task<ControlOrder?> FindAsync(DbConnection c, DbTransaction? tx, long id, CancellationToken ct) =>
        (await c.QuerySingleOrDefaultAsync<OrderRow>(new CommandDefinition($"SELECT {OrderRow.Columns} FROM control_orders WHERE id = @id", new { id }, tx, cancellationToken: ct)))?.ToOrder();

    /// <summary>The person's active order, if any.</summary>
    public static async Task<ControlOrder?> ActiveForAsync(Database db, int personId, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return (await c.QuerySingleOrDefaultAsync<OrderRow>(new CommandDefinition(
            $"SELECT {OrderRow.Columns} FROM control_orders WHERE person_id = @personId AND active = 1", new { personId }, cancellationToken: ct)))?.ToOrder();
    }

    /// <summary>The active orders of the given people, by person.</summary>
    public static async Task<Dictionary<int, ControlOrder>> ActiveForManyAsync(Database db, IReadOnlyCollection<int> personIds, CancellationToken ct = default)
    {
        var result = new Dictionary<int, ControlOrder>();
        await using var c = await db.OpenConnectionAsync(ct);
        foreach (var chunk in personIds.Distinct().Chunk(500))
        {
            var rows = await c.QueryAsync<OrderRow>(new CommandDefinition(
                $"SELECT {OrderRow.Columns} FROM control_orders WHERE active = 1 AND person_id IN ({string.Join(",", chunk)})", cancellationToken: ct));
            foreach (var o in rows.Select(r => r.ToOrder()))
            {
                result[o.PersonId] = o;
            }
        }
        return result;
    }

    /// <summary>The orders with these ids, by id; unknown ids are left out.</summary>
    public static async Task<Dictionary<long, ControlOrder>> FindManyAsync(Database db, IReadOnlyCollection<long> ids, CancellationToken ct = default)
    {
        var result = new Dictionary<long, ControlOrder>();
        await using var c = await db.OpenConnectionAsync(ct);
        foreach (var chunk in ids.Distinct().Chunk(500))
        {
            var rows = await c.QueryAsync<OrderRow>(new CommandDefinition($"SELECT {OrderRow.Columns} FROM control_orders WHERE id IN ({string.Join(",", chunk)})", cancellationToken: ct));
            foreach (var o in rows.Select(r => r.ToOrder()))
            {
                result[o.Id] = o;
            }
        }
        return result;
    }

    /// <summary>The community of the person of each order given (null for a person of unknown residence), by order.</summary>
    public static async Task<Dictionary<long, string?>> CommunitiesOfOrdersAsync(Database db, IReadOnlyCollection<long> orderIds, CancellationToken ct = default)
    {
        var result = new Dictionary<long, string?>();
        await using var c = await db.OpenConnectionAsync(ct);
        foreach (var chunk in orderIds.Distinct().Chunk(500))
        {
            var rows = await c.QueryAsync<(long Order, string? Community)>(new CommandDefinition(
                $"SELECT o.id, p.community_code FROM control_orders o JOIN persons p ON p.id = o.person_id WHERE o.id IN ({string.Join(",", chunk)})", cancellationToken: ct));
            foreach (var (order, community) in rows)
            {
                result[order] = community;
            }
        }
        return result;
    }

    /// <summary>The community of the person of each sample given, by sample number.</summary>
    public static async Task<Dictionary<string, string?>> CommunitiesOfSamplesAsync(Database db, IReadOnlyCollection<string> sampleKeys, CancellationToken ct = default)
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        await using var c = await db.OpenConnectionAsync(ct);
        foreach (var chunk in sampleKeys.Distinct().Chunk(500))
        {
            var rows = await c.QueryAsync<(string Sample, string? Community)>(new CommandDefinition(
                "SELECT t.sample_key, p.community_code FROM scheduled_tests t JOIN persons p ON p.id = t.person_id WHERE t.sample_key " +
                (db.Provider == StoreProvider.Postgres ? "= ANY(@chunk)" : "IN @chunk"), new { chunk }, cancellationToken: ct));
            foreach (var (sample, community) in rows)
            {
                result[sample] = community;
            }
        }
        return result;
    }

    /// <summary>All orders of a person, oldest first.</summary>
    public static async Task<List<ControlOrder>> HistoryOfAsync(Database db, int personId, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return (await c.QueryAsync<OrderRow>(new CommandDefinition(
            $"SELECT {OrderRow.Columns} FROM control_orders WHERE person_id = @personId ORDER BY id", new { personId }, cancellationToken: ct))).Select(r => r.ToOrder()).ToList();
    }

    public static async Task<List<ControlOrder>> ListAsync(Database db, OrderQuery q, CancellationToken ct = default)
    {
        var where = new List<string>();
        if (q.ActiveOnly)
        {
            where.Add("o.active = 1");
        }
        if (q.Status is { } status)
        {
            where.Add($"o.status = '{status.ToCode()}'");
        }
        if (q.Group is { } group)
        {
            where.Add($"o.grp = '{group.ToCode()}'");
        }
        if (q.PlannedEndBy is not null)
        {
            where.Add("o.grp <> 'case' AND o.planned_end <= @end");
        }
        var prefix = q.Within is { } j ? Scope.Prefix(j) : null;
        if (prefix is not null)
        {
            where.Add("p.community_code LIKE @prefix");
        }
        var sql = $"SELECT {OrderRow.ColumnsOf("o")} FROM control_orders o JOIN persons p ON p.id = o.person_id" +
                  (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "") + " ORDER BY o.id LIMIT @limit";
        await using var c = await db.OpenConnectionAsync(ct);
        return (await c.QueryAsync<OrderRow>(new CommandDefinition(sql, new { prefix = prefix + "%", limit = q.Limit, end = q.PlannedEndBy is { } e ? Dates.Format(e) : null }, cancellationToken: ct))).Select(r => r.ToOrder()).ToList();
    }

    public static async Task<List<ControlEvent>> EventsAsync(Database db, long orderId, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<(long Order, long At, string Actor, string? From, string To, string? Detail)>(new CommandDefinition(
            "SELECT order_id, at, actor, from_status, to_status, detail FROM control_events WHERE order_id = @orderId ORDER BY id", new { orderId }, cancellationToken: ct));
        return rows.Select(r => new ControlEvent(r.Order, r.At, r.Actor, r.From, r.To, r.Detail)).ToList();
    }

    public static async Task<List<TestSlot>> TestsAsync(Database db, long orderId, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return await TestsAsync(c, null, "order_id = @id", orderId, ct);
    }

    /// <summary>The scheduled test a sample was taken for, by its sample number.</summary>
    public static async Task<TestSlot?> FindSampleAsync(Database db, string sampleKey, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var id = await c.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT id FROM scheduled_tests WHERE sample_key = @sampleKey", new { sampleKey }, cancellationToken: ct));
        return id is null ? null : (await TestsAsync(c, null, "id = @id", id.Value, ct)).SingleOrDefault();
    }

    internal static async Task<List<TestSlot>> TestsAsync(DbConnection c, DbTransaction? tx, string where, long id, CancellationToken ct)
    {
        var rows = await c.QueryAsync<(long Id, long Order, long Person, string Due, long Day, string? Sample, long? SampledAt, string? Result, long? ResultAt)>(new CommandDefinition(
            $"SELECT id, order_id, person_id, due_date, day_number, sample_key, sampled_at, result, result_at FROM scheduled_tests WHERE {where} ORDER BY due_date, id",
            new { id }, tx, cancellationToken: ct));
        return rows.Select(r => new TestSlot(r.Id, r.Order, (int)r.Person, Dates.Parse(r.Due), (int)r.Day, r.Sample, r.SampledAt, r.Result, r.ResultAt)).ToList();
    }

    public static async Task<List<(long At, double Temperature, string? Symptoms, string Actor)>> ChecksAsync(Database db, long orderId, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return (await c.QueryAsync<(long, double, string?, string)>(new CommandDefinition(
            "SELECT at, temperature, symptoms, actor FROM health_checks WHERE order_id = @orderId ORDER BY at", new { orderId }, cancellationToken: ct))).ToList();
    }
}
