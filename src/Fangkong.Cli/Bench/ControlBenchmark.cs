using System.Diagnostics;
using Dapper;
using Fangkong.Cases;
using Fangkong.Jurisdictions;
using Fangkong.People;
using Fangkong.Policies;
using Fangkong.Staff;
using Fangkong.Storage;
using Fangkong.Storage.Cases;
using Fangkong.Storage.Contacts;
using Fangkong.Storage.Control;
using Fangkong.Storage.People;
using Fangkong.Storage.Staff;
using Fangkong.Time;
using Fangkong.Tracing;

namespace Fangkong.Cli.Bench;

/// <summary>One store's figures: orders created with their first tasks, and the "who is missing" audit over the open orders.</summary>
internal sealed record ControlMeasurement(string Store, int Contacts, TimeSpan Create, int OpenOrders, TimeSpan CreateLarge, double[] AuditMs, int AuditRows);

/// <summary>
/// The control benchmark (issue 4): an outbreak scaled to <c>close</c> close and <c>secondary</c>
/// secondary contacts — how long creating all their orders, test schedules, monitors and first tasks
/// takes — then a store with a million open orders in a working state (99 % under control with their
/// monitors and yesterday's tests sampled, 1 % still waiting) and how long the completeness audit
/// takes to answer.
/// </summary>
internal static class ControlBenchmark
{
    private const int Communities = 2_000;

    public static async Task<ControlMeasurement> RunAsync(string name, StoreLocation location, int close, int secondary, int openOrders, int runs, CancellationToken ct)
    {
        var policy = PolicyCatalog.Load().Get("cn-v8-2021");
        var t0 = DateTimeOffset.Parse("2021-10-22T16:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture);
        var clock = new ManualClock(t0);
        await using var db = await Database.OpenAsync(location, clock, ct: ct);
        var communities = CommunityCodes();
        await SeedAsync(db, communities, openOrders + 1, ct);

        // 1. The outbreak: orders and first tasks for close + secondary contacts.
        await ContactRepository.ReplaceAllAsync(db, Contacts(close, secondary, t0), policy, ct);
        var watch = Stopwatch.StartNew();
        var outcome = await ControlSync.RunAsync(db, policy, ct);
        var create = watch.Elapsed;
        System.Console.WriteLine($"{name}: {outcome.Created:N0} orders, {outcome.Tasks:N0} first tasks for {close:N0} close and {secondary:N0} secondary contacts in {create.TotalSeconds:F1} s");

        // 2. A million open orders, 99 % under control, and the audit.
        await ContactRepository.ReplaceAllAsync(db, Contacts(openOrders / 10, openOrders - openOrders / 10, t0), policy, ct);
        watch.Restart();
        await ControlSync.RunAsync(db, policy, ct);
        var createLarge = watch.Elapsed;
        await using (var c = await db.OpenConnectionAsync(ct))
        {
            await c.ExecuteAsync(new CommandDefinition(
                "UPDATE control_orders SET status = 'under_control', controlled_at = identified_at + 3600, measure = 'home_quarantine', transfer_due = NULL WHERE active = 1 AND grp <> 'case' AND id % 100 <> 0",
                commandTimeout: 0, cancellationToken: ct));
            await c.ExecuteAsync(new CommandDefinition(
                "UPDATE scheduled_tests SET sample_key = 'BS' || id, sampled_at = @at, result = 'negative', result_at = @at WHERE due_date < @day AND order_id % 100 <> 0",
                new { at = t0.AddHours(1).ToUnixTimeSeconds(), day = "2021-10-23" }, commandTimeout: 0, cancellationToken: ct));
            // The steady state after the bulk updates: PostgreSQL's autovacuum would have cleaned the old row versions.
            await c.ExecuteAsync(new CommandDefinition(db.Provider == StoreProvider.Postgres ? "VACUUM ANALYZE" : "ANALYZE", commandTimeout: 0, commandType: System.Data.CommandType.Text, cancellationToken: ct));
        }
        var open = await CountAsync(db, "SELECT COUNT(*) FROM control_orders WHERE active = 1", ct);
        clock.MoveTo(t0.AddHours(14));
        var times = new double[runs];
        var rows = 0;
        for (var i = 0; i < runs; i++)
        {
            watch.Restart();
            rows = (await MissingAudit.RunAsync(db, ct: ct)).Count;
            times[i] = watch.Elapsed.TotalMilliseconds;
        }
        System.Console.WriteLine($"{name}: audit over {open:N0} open orders: {rows:N0} gaps in {times.Order().ElementAt(runs / 2):F0} ms (median of {runs})");
        return new ControlMeasurement(name, close + secondary, create, (int)open, createLarge, times, rows);
    }

    private static List<string> CommunityCodes()
    {
        var counties = NingxiaReference.Counties.Select(c => c.Code.Value).ToList();
        return Enumerable.Range(0, Communities).Select(i => $"{counties[i % counties.Count]}{1 + i / counties.Count % 30:000}{1 + i / (counties.Count * 30):000}").ToList();
    }

    /// <summary>People in communities (households of three at one address), one community worker per community, one case.</summary>
    private static async Task SeedAsync(Database db, List<string> communities, int people, CancellationToken ct)
    {
        await using var s = await StoreSession.BeginAsync(db, ct);
        await PersonRepository.UpsertAsync(s, Enumerable.Range(1, people).Select(i =>
        {
            var community = communities[i % communities.Count];
            return new StoredPerson(i, new Person($"B{i:0000000}", null, null, $"测试{i}", null, null, null, community, $"{community}-{i / 3}号"), null);
        }), ct);
        await StaffRepository.AddAsync(s, communities.Select(c => ($"W{c}", $"网格员{c}", StaffRole.CommunityWorker, JurisdictionCode.Parse(c), (string?)null)), ct);
        var t = DateTimeOffset.Parse("2021-10-22T10:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds();
        await CaseRepository.UpsertAsync(s, [new StoredCase(people, CaseClassification.Confirmed, new DateOnly(2021, 10, 21), t - 3600, t, t)], ct);
        await s.CommitAsync(ct);
    }

    /// <summary>Close contacts exposed the day before, and secondary contacts exposed through them.</summary>
    private static List<ContactFinding> Contacts(int close, int secondary, DateTimeOffset t0)
    {
        var end = t0.AddHours(-20).ToUnixTimeSeconds();
        var index = close + secondary + 1;
        var list = new List<ContactFinding>(close + secondary);
        for (var i = 1; i <= close; i++)
        {
            list.Add(new ContactFinding(i, ContactTier.Close, index, null, null, end - 3600, end));
        }
        for (var i = close + 1; i <= close + secondary; i++)
        {
            list.Add(new ContactFinding(i, ContactTier.Secondary, index, 1 + i % Math.Max(1, close), null, end - 1800, end));
        }
        return list;
    }

    private static async Task<long> CountAsync(Database db, string sql, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return await c.ExecuteScalarAsync<long>(new CommandDefinition(sql, cancellationToken: ct));
    }
}
