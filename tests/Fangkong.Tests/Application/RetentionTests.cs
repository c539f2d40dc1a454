using Dapper;
using Fangkong.Storage;
using Fangkong.Storage.Audit;
using Fangkong.Storage.Checkins;
using Fangkong.Tests.Support;

namespace Fangkong.Tests.Application;

/// <summary>
/// Privacy by default (SPEC 7): the profile's retention. On a demo outbreak run for 24 days (most
/// contacts released), a retention run five weeks later drops the old check-ins and detaches the
/// released people's records from their identity — the person stays in the register, their orders,
/// health checks and contact rows belong to a pseudonym with only the community, the counts by area
/// stay — and a later full re-trace orders nobody again. Closing an outbreak is a commander's
/// decision, refused while orders are active. On both stores.
/// </summary>
[Collection(nameof(Tests.Cli.ConsoleCollection))]
public sealed class RetentionTests
{
    private const string Later = "2021-12-20T08:00:00+08:00";

    [Theory]
    [MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task ARetentionRun_DetachesReleasedPeople_KeepsTheCounts_AndARetraceOrdersNobodyAgain(StoreProvider provider)
    {
        await using var store = await TestStore.CreateAsync(provider);
        await OkAsync(store, "demo", "--people", "3000", "--no-serve", "--simulate-days", "24");

        (string Key, string Name, long Orders, string Community) released;
        long ordersBefore, activeBefore, closedByCounty;
        await using (var db = await store.OpenAsync())
        await using (var c = await db.OpenConnectionAsync())
        {
            released = await c.QueryFirstAsync<(string, string, long, string)>("""
                SELECT p.person_key, p.name, COUNT(*), p.community_code FROM persons p JOIN control_orders o ON o.person_id = p.id
                WHERE NOT EXISTS (SELECT 1 FROM control_orders a WHERE a.person_id = p.id AND a.active = 1)
                GROUP BY p.person_key, p.name, p.community_code HAVING MIN(o.status) = 'released' AND MAX(o.status) = 'released' ORDER BY p.person_key LIMIT 1
                """);
            ordersBefore = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM control_orders");
            activeBefore = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM control_orders WHERE active = 1");
            closedByCounty = await ClosedInCountyAsync(c, released.Community[..6]);
        }

        var output = await OkAsync(store, "--now", Later, "retention", "run");
        Assert.Matches(@"check-ins\s+[1-9][\d,]* dropped \(days before 2021-11-23\)", output);
        Assert.Matches(@"detached\s+[1-9][\d,]* people released before 2021-11-22", output);

        await using (var db = await store.OpenAsync())
        {
            await using var c = await db.OpenConnectionAsync();
            // The person is still in the register, with their identity, and nothing epidemiological points to them.
            var person = await c.QuerySingleAsync<(long Id, string Name)>("SELECT id, name FROM persons WHERE person_key = @Key", new { released.Key });
            Assert.Equal(released.Name, person.Name);
            foreach (var table in new[] { "control_orders", "contacts", "health_checks", "scheduled_tests", "tasks" })
            {
                Assert.Equal(0, await c.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table} WHERE person_id = @Id", new { person.Id }));
            }
            // Their orders now belong to pseudonyms: no name, no ID number, no phone, no address, the same community; free text cleared.
            var pseudonyms = (await c.QueryAsync<(string Key, string? Name, string? Id, string? Phone, string? Address)>(
                "SELECT person_key, name, id_number, phone, address FROM persons WHERE id_type = 'pseudonym'")).ToList();
            Assert.NotEmpty(pseudonyms);
            Assert.All(pseudonyms, p => Assert.Equal(("PSN-", null, null, null, null), (p.Key[..4], p.Name, p.Id, p.Phone, p.Address)));
            Assert.Equal(0, await c.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM health_checks h JOIN persons p ON p.id = h.person_id WHERE p.id_type = 'pseudonym' AND h.symptoms IS NOT NULL"));
            Assert.Equal(0, await c.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM transfers t JOIN control_orders o ON o.id = t.order_id JOIN persons p ON p.id = o.person_id WHERE p.id_type = 'pseudonym' AND t.pickup_address <> ''"));
            // The figures by area are the same, and the population does not count the pseudonyms.
            Assert.Equal(ordersBefore, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM control_orders"));
            Assert.Equal(closedByCounty, await ClosedInCountyAsync(c, released.Community[..6]));
            Assert.Equal(3000, await Fangkong.Storage.People.PersonRepository.CountAsync(db));
            // Check-ins before the first kept day are gone.
            var days = await (await CheckinStores.OpenAsync(db)).ListDaysAsync();
            Assert.All(days, d => Assert.True(Fangkong.Time.DeploymentCalendar.FromDayNumber(d.Day) >= new DateOnly(2021, 11, 23)));
            // Audited with counts only.
            var (runs, _) = await AuditSearch.FindAsync(db, new AuditFilter(Action: "retention.run"), 0, 5);
            var run = Assert.Single(runs);
            Assert.DoesNotContain(released.Key, run.Detail, StringComparison.Ordinal);
            Assert.Contains("people detached", run.Detail, StringComparison.Ordinal);
        }

        // A full re-trace weeks later finds the pseudonyms (who carry the released orders) and orders nobody again.
        await OkAsync(store, "--now", Later, "trace", "--as-of", Later, "--format", "csv");
        await using (var db = await store.OpenAsync())
        {
            await using var c = await db.OpenConnectionAsync();
            Assert.Equal(0, await c.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM control_orders o JOIN persons p ON p.id = o.person_id WHERE p.person_key = @Key", new { released.Key }));
            Assert.Equal(0, await c.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM control_orders o JOIN persons p ON p.id = o.person_id WHERE p.id_type = 'pseudonym' AND o.active = 1"));
            Assert.True(await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM control_orders WHERE active = 1") <= activeBefore + 5);
        }

        // Closing the outbreak: only a commander, only with a reason, only when no order is active there.
        var county = released.Community[..6];
        var refused = await Support.Cli.RunAsync("--db", store.DbArgument, "--now", Later, "retention", "close-outbreak", county, "--commander", "investigator", "--decision", "x");
        Assert.Equal(2, refused.Code);
        Assert.Contains("not an active commander", refused.Err, StringComparison.Ordinal);
        var active = await Support.Cli.RunAsync("--db", store.DbArgument, "--now", Later, "retention", "close-outbreak", "640000", "--commander", "commander", "--decision", "指挥部通知");
        Assert.Contains("still active", active.Err + active.Out, StringComparison.Ordinal);

        // A county whose orders are all released: its outbreak closes, every one of its people detached, the count of its orders kept.
        string quiet;
        long quietOrders;
        await using (var db = await store.OpenAsync())
        await using (var c = await db.OpenConnectionAsync())
        {
            (quiet, quietOrders) = await c.QueryFirstAsync<(string, long)>("""
                SELECT SUBSTR(p.community_code, 1, 6), COUNT(*) FROM control_orders o JOIN persons p ON p.id = o.person_id
                GROUP BY SUBSTR(p.community_code, 1, 6) HAVING SUM(o.active) = 0 ORDER BY COUNT(*) DESC LIMIT 1
                """);
        }
        await OkAsync(store, "--now", Later, "retention", "close-outbreak", quiet, "--commander", "commander", "--decision", "指挥部通知：疫情结束");
        await using (var db = await store.OpenAsync())
        {
            await using var c = await db.OpenConnectionAsync();
            var args = new { like = quiet + "%" };
            Assert.Equal(0, await c.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM control_orders o JOIN persons p ON p.id = o.person_id WHERE p.community_code LIKE @like AND (p.id_type IS NULL OR p.id_type <> 'pseudonym')", args));
            Assert.Equal(quietOrders, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM control_orders o JOIN persons p ON p.id = o.person_id WHERE p.community_code LIKE @like", args));
            var (closed, _) = await AuditSearch.FindAsync(db, new AuditFilter(Action: "outbreak.close", Actor: "commander"), 0, 5);
            Assert.Contains(closed, e => e.Action == "outbreak.close" && e.Detail.Contains("指挥部通知", StringComparison.Ordinal));
        }
    }

    private static Task<long> ClosedInCountyAsync(System.Data.Common.DbConnection c, string county) =>
        c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM control_orders o JOIN persons p ON p.id = o.person_id WHERE o.status = 'released' AND p.community_code LIKE @like", new { like = county + "%" });

    private static async Task<string> OkAsync(TestStore store, params string[] args)
    {
        var (code, output, err) = await Support.Cli.RunAsync(["--db", store.DbArgument, .. args]);
        Assert.True(code == 0, $"{string.Join(' ', args)}: {err}{output}");
        return output;
    }
}
