using Dapper;
using Fangkong.Cases;
using Fangkong.Control;
using Fangkong.Jurisdictions;
using Fangkong.Policies;
using Fangkong.Tracing;

namespace Fangkong.Storage.Control;

/// <summary>What one synchronisation of orders with the traced contacts and cases did.</summary>
public sealed record SyncOutcome(int Created, int Extended, int Upgraded, int Converted, int Reviews, int Tasks);

/// <summary>
/// Brings the control orders in line with the stored contacts and cases (应隔尽隔): every close or
/// secondary contact and every case gets exactly one active order computed from the policy; a later
/// exposure extends the order; a secondary contact who becomes a close contact is upgraded; a contact
/// who becomes a case is converted; an order whose reason has gone is put up for review (never
/// silently released). New orders get their test schedule, a monitor and their first tasks. Idempotent.
/// </summary>
public static class ControlSync
{
    /// <summary>
    /// Puts an arrival from a risk area under the policy's measure for their group (day 0: the day
    /// they left the area). Refused when the person already has an active order.
    /// </summary>
    public static async Task<SyncOutcome> AddArrivalAsync(Database db, PolicyProfile policy, int personId, ControlGroup group, DateOnly dayZero, CancellationToken ct = default)
    {
        if (group is not (ControlGroup.ArrivalHighRisk or ControlGroup.ArrivalMediumRisk or ControlGroup.ArrivalLowRiskAffectedCounty))
        {
            throw new RefusedException($"{group.ToCode()} orders come from tracing, not from an arrival");
        }
        if (ControlPlan.StepsOf(policy, group).Count == 0)
        {
            throw new RefusedException($"policy {policy.Id} has no measure for {group.ToCode()}");
        }
        if (await ControlRepository.ActiveForAsync(db, personId, ct) is { } active)
        {
            throw new RefusedException($"the person already has an active order #{active.Id} ({active.Group.ToCode()}, {active.Measure.ToCode()}); one person has one order");
        }
        return await RunAsync(db, policy, [(personId, group, dayZero)], ct);
    }

    public static Task<SyncOutcome> RunAsync(Database db, PolicyProfile policy, CancellationToken ct = default) => RunAsync(db, policy, [], ct);

    private static async Task<SyncOutcome> RunAsync(Database db, PolicyProfile policy, IReadOnlyList<(int Person, ControlGroup Group, DateOnly DayZero)> arrivals, CancellationToken ct)
    {
        var now = db.Now;
        await using var s = await StoreSession.BeginAsync(db, ct);
        var c = s.Connection;
        var tx = s.Transaction;

        var contacts = (await c.QueryAsync<(long Person, string Tier, long Index, long End)>(new CommandDefinition(
            "SELECT person_id, tier, index_person_id, COALESCE(last_exposure, exposure_end) FROM contacts WHERE tier IN ('close', 'secondary', 'grid')", transaction: tx, cancellationToken: ct)))
            .Select(x => new TracedContact((int)x.Person, TracedContact.GroupOf(ContactTiers.ParseStored(x.Tier))!.Value, (int)x.Index, x.End)).ToList();
        var cases = (await c.QueryAsync<(long Person, string Classification, long Report, long? Isolation)>(new CommandDefinition(
            "SELECT person_id, classification, report_time, isolation_time FROM cases", transaction: tx, cancellationToken: ct)))
            .Select(k => new CaseFact((int)k.Person, CaseClassifications.ParseStored(k.Classification), k.Report, k.Isolation)).ToList();
        var active = (await c.QueryAsync<OrderRow>(new CommandDefinition($"SELECT {OrderRow.Columns} FROM control_orders WHERE active = 1", transaction: tx, cancellationToken: ct)))
            .Select(r => r.ToOrder()).ToDictionary(o => o.PersonId);

        var released = (await c.QueryAsync<(long Person, string Group, long? LastExposure)>(new CommandDefinition(
            "SELECT person_id, grp, last_exposure FROM control_orders WHERE active = 0 AND status = 'released'", transaction: tx, cancellationToken: ct)))
            .Select(r => new ReleasedFact((int)r.Person, ControlCodes.ParseGroup(r.Group), r.LastExposure)).ToList();

        var changes = OrderSync.Decide(contacts, cases, active, [.. arrivals.Select(a => new ControlRequest(a.Person, a.Group, a.DayZero))], policy, now, db.Calendar, released);

        var people = (await c.QueryAsync<(long Id, string? Community, string? Address)>(new CommandDefinition(
            "SELECT id, community_code, address FROM persons WHERE id IN (SELECT person_id FROM contacts WHERE tier IN ('close', 'secondary', 'grid') UNION SELECT person_id FROM cases)" +
            (arrivals.Count == 0 ? "" : $" OR id IN ({string.Join(",", arrivals.Select(a => a.Person))})"),
            transaction: tx, cancellationToken: ct))).ToDictionary(p => (int)p.Id);
        var writer = await WriterAsync(s, policy, people, ct);
        foreach (var change in changes)
        {
            await writer.ApplyAsync(change, ct);
        }
        var outcome = await writer.FlushAsync(ct);
        await c.ExecuteAsync(new CommandDefinition("DELETE FROM settings WHERE key = 'control_synced_at'", transaction: tx, cancellationToken: ct));
        await c.ExecuteAsync(new CommandDefinition("INSERT INTO settings (key, value) VALUES ('control_synced_at', @v)",
            new { v = now.ToString(global::System.Globalization.CultureInfo.InvariantCulture) }, tx, cancellationToken: ct));
        await s.CommitAsync(ct);
        return outcome;
    }

    /// <summary>
    /// Puts people under control directly in the caller's transaction (a positive tube's members): each
    /// without an active order gets one on the first step of their group's plan, with its monitor, test
    /// schedule and first tasks. People who already have an active order keep it (one person, one order).
    /// Returns the people who got a new order.
    /// </summary>
    public static async Task<IReadOnlyList<int>> PlaceAsync(StoreSession s, PolicyProfile policy, IReadOnlyList<ControlRequest> requests, CancellationToken ct)
    {
        var wanted = requests.DistinctBy(r => r.Person).ToList();
        if (wanted.Count == 0)
        {
            return [];
        }
        var (c, tx) = (s.Connection, s.Transaction);
        var ids = string.Join(",", wanted.Select(r => r.Person));
        var held = (await c.QueryAsync<long>(new CommandDefinition($"SELECT person_id FROM control_orders WHERE active = 1 AND person_id IN ({ids})", transaction: tx, cancellationToken: ct)))
            .Select(p => (int)p).ToHashSet();
        var free = wanted.Where(r => !held.Contains(r.Person)).ToList();
        if (free.Count == 0)
        {
            return [];
        }
        var people = (await c.QueryAsync<(long Id, string? Community, string? Address)>(new CommandDefinition(
            $"SELECT id, community_code, address FROM persons WHERE id IN ({ids})", transaction: tx, cancellationToken: ct))).ToDictionary(p => (int)p.Id);
        var writer = await WriterAsync(s, policy, people, ct);
        foreach (var order in OrderSync.Place(free, policy, s.Db.Now))
        {
            await writer.ApplyAsync(order, ct);
        }
        await writer.FlushAsync(ct);
        return [.. free.Select(r => r.Person)];
    }

    /// <summary>A writer of order changes whose new orders take the next numbers (the table locked on PostgreSQL until the transaction ends).</summary>
    private static async Task<SyncWriter> WriterAsync(StoreSession s, PolicyProfile policy, Dictionary<int, (long Id, string? Community, string? Address)> people, CancellationToken ct)
    {
        var (c, tx) = (s.Connection, s.Transaction);
        var nextId = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            s.Db.Provider == StoreProvider.Postgres ? "LOCK TABLE control_orders IN EXCLUSIVE MODE; SELECT COALESCE(MAX(id), 0) FROM control_orders" : "SELECT COALESCE(MAX(id), 0) FROM control_orders",
            transaction: tx, cancellationToken: ct)) + 1;
        return new SyncWriter(s, policy, await MonitorPicker.LoadAsync(c, tx, ct), nextId,
            person => people.TryGetValue(person, out var p) ? (p.Community, p.Address) : (null, null));
    }

    /// <summary>When the orders were last brought in line with the contacts (Unix seconds; 0 if never).</summary>
    public static async Task<long> LastRunAsync(global::System.Data.Common.DbConnection c, global::System.Data.Common.DbTransaction? tx, CancellationToken ct)
    {
        var text = await c.ExecuteScalarAsync<string?>(new CommandDefinition("SELECT value FROM settings WHERE key = 'control_synced_at'", transaction: tx, cancellationToken: ct));
        return long.TryParse(text, global::System.Globalization.NumberStyles.AllowLeadingSign, global::System.Globalization.CultureInfo.InvariantCulture, out var t) ? t : 0;
    }

    /// <summary>
    /// The scheduled tests of a step from the identification day on. Test days already past when the
    /// person is identified collapse into one test on the identification day.
    /// </summary>
    internal static IEnumerable<TestRow> Schedule(long order, int person, PlannedStep step, DateOnly today)
    {
        var past = step.Tests.Where(t => t.Date < today).ToList();
        if (past.Count > 0 && !step.Tests.Any(t => t.Date == today))
        {
            yield return new TestRow(order, person, Dates.Format(today), past[^1].Day);
        }
        foreach (var (day, date) in step.Tests.Where(t => t.Date >= today))
        {
            yield return new TestRow(order, person, Dates.Format(date), day);
        }
    }

    internal static async Task CloseAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction tx, ControlOrder order, ControlStatus status, long now, CancellationToken ct)
    {
        var n = await c.ExecuteAsync(new CommandDefinition(
            "UPDATE control_orders SET status = @Status, active = 0, closed_at = @now, version = version + 1, updated_at = @now WHERE id = @Id AND version = @Version",
            new { Status = status.ToCode(), now, order.Id, order.Version }, tx, cancellationToken: ct));
        if (n == 0)
        {
            throw new ConcurrencyException($"order #{order.Id} was changed by someone else; reload it and act again");
        }
        // A closed order's open tasks (a missed test or health check, a transfer, a release review) have
        // nothing left to act on: they are cancelled, never left to escalate.
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE tasks SET status = 'cancelled', done_at = @now, done_by = 'system', version = version + 1 WHERE source_kind = 'order' AND source_id = @Id AND status = 'open'",
            new { now, order.Id }, tx, cancellationToken: ct));
    }
}
