using Dapper;
using Fangkong.Storage;
using Fangkong.Tests.Support;

namespace Fangkong.Tests.Control;

/// <summary>
/// The demo runs its outbreak through the closed loop on a simulated clock: afterwards every traced
/// contact has an order, a room or a home address, a monitor and a test schedule, and running the
/// clock further produces more of the loop.
/// </summary>
[Collection(nameof(Tests.Cli.ConsoleCollection))]
public sealed class DemoLoopTests
{
    [Fact]
    public async Task EveryTracedContactIsInTheLoop_AndTheClockRunsOn()
    {
        await using var store = await TestStore.CreateAsync(StoreProvider.Sqlite);
        var output = await ControlWorkflowTests.Ok(store, "demo", "--people", "3000", "--no-serve", "--simulate-days", "2");
        Assert.Contains("quarantine sites", output, StringComparison.Ordinal);
        Assert.Contains("simulated      2 day(s) of the loop to 2021-10-24T16:00:00+08:00", output, StringComparison.Ordinal);
        Assert.Contains("2021-10-24T16:00:00+08:00 (simulated", await ControlWorkflowTests.Ok(store, "clock", "show"), StringComparison.Ordinal);

        await using (var db = await store.OpenAsync())
        {
            await using var c = await db.OpenConnectionAsync();
            async Task<long> Count(string sql) => await c.ExecuteScalarAsync<long>(sql);
            Assert.True(await Count("SELECT COUNT(*) FROM contacts WHERE tier IN ('close', 'secondary')") > 100);
            Assert.Equal(0, await Count("""
                SELECT COUNT(*) FROM contacts k WHERE k.tier IN ('close', 'secondary')
                  AND NOT EXISTS (SELECT 1 FROM control_orders o WHERE o.person_id = k.person_id AND o.grp <> 'case')
                  AND NOT EXISTS (SELECT 1 FROM cases x WHERE x.person_id = k.person_id)
                """));
            Assert.Equal(0, await Count("SELECT COUNT(*) FROM control_orders WHERE active = 1 AND monitor_id IS NULL"));
            Assert.Equal(0, await Count("SELECT COUNT(*) FROM control_orders o WHERE active = 1 AND grp <> 'case' AND NOT EXISTS (SELECT 1 FROM scheduled_tests t WHERE t.order_id = o.id)"));
            Assert.Equal(0, await Count("""
                SELECT COUNT(*) FROM control_orders o WHERE o.active = 1 AND o.grp <> 'case'
                  AND NOT EXISTS (SELECT 1 FROM room_stays s WHERE s.order_id = o.id AND s.checked_out IS NULL)
                  AND (o.home_address IS NULL OR o.home_address = '')
                """));
            Assert.True(await Count("SELECT COUNT(*) FROM room_stays WHERE checked_out IS NULL") > 0);
            Assert.True(await Count("SELECT COUNT(*) FROM control_orders WHERE status = 'under_control'") > 0);
            Assert.True(await Count("SELECT COUNT(*) FROM task_escalations") > 0);
            // The rooms' occupancy mirror agrees with the stays, and no room holds more than it can.
            Assert.Equal(0, await Count("SELECT COUNT(*) FROM site_rooms r WHERE r.occupants <> (SELECT COUNT(*) FROM room_stays s WHERE s.room_id = r.id AND s.checked_out IS NULL)"));
            Assert.Equal(0, await Count("SELECT COUNT(*) FROM site_rooms WHERE occupants > capacity"));
            Assert.Equal(0, await Count("SELECT COUNT(*) FROM site_rooms WHERE reserve = 1 AND occupants > 0"));
            // The simulated responders act through the handlers: their work is in the audit log like an officer's.
            // One trace each afternoon from the first report on, as the outbreak was found.
            var tracedDays = System.Text.RegularExpressions.Regex.Count(output, @"case\(s\) reported:");
            Assert.True(tracedDays >= 2, output);
            Assert.Equal(tracedDays, await Count("SELECT COUNT(*) FROM audit_log WHERE action = 'trace.run' AND source = 'simulate'"));
            foreach (var action in new[] { "control.round.notified", "control.round.place", "control.round.transfer_dispatched", "control.round.check", "control.tick" })
            {
                Assert.True(await Count($"SELECT COUNT(*) FROM audit_log WHERE action = '{action}' AND source = 'simulate'") > 0, $"no {action} in the audit log");
            }
            Assert.Equal(0, await Count("SELECT COUNT(*) FROM audit_log WHERE source = 'simulate' AND channel NOT IN ('cli', 'system')"));
            // Each round's count is the loop's: the orders notified by the rounds are the orders that have a 'notified' step by the simulated community workers.
            var notifiedSteps = await Count("SELECT COUNT(*) FROM control_events WHERE from_status = 'identified' AND to_status = 'notified'");
            var rounds = (await c.QueryAsync<string>("SELECT detail FROM audit_log WHERE action = 'control.round.notified'")).Sum(d => long.Parse(global::Fangkong.Text.AuditDetail.Read(d).Args[0], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(notifiedSteps, rounds);
        }

        output = await ControlWorkflowTests.Ok(store, "simulate", "--days", "1");
        Assert.Contains("simulated 1 day(s)", output, StringComparison.Ordinal);
        Assert.Contains("2021-10-25T16:00:00+08:00", await ControlWorkflowTests.Ok(store, "clock", "show"), StringComparison.Ordinal);
        output = await ControlWorkflowTests.Ok(store, "audit", "missing", "--limit", "5");
        Assert.Contains("gap(s)", output, StringComparison.Ordinal);
        output = await ControlWorkflowTests.Ok(store, "scorecard");
        Assert.Contains("640104", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSimulatedClock_IsSetAdvancedAndCleared()
    {
        await using var store = await TestStore.CreateAsync(StoreProvider.Sqlite);
        await ControlWorkflowTests.Ok(store, "clock", "set", "2021-10-22T08:00:00+08:00");
        await ControlWorkflowTests.Ok(store, "clock", "advance", "1d");
        Assert.Contains("2021-10-23T08:00:00+08:00 (simulated", await ControlWorkflowTests.Ok(store, "clock", "show"), StringComparison.Ordinal);
        await ControlWorkflowTests.Refused(store, "'2d3' is not a duration", "clock", "advance", "2d3");
        await ControlWorkflowTests.Ok(store, "clock", "clear");
        Assert.Contains("(real time)", await ControlWorkflowTests.Ok(store, "clock", "show"), StringComparison.Ordinal);
        await ControlWorkflowTests.Refused(store, "set it first with 'fangkong clock set", "simulate", "--days", "1");
    }
}
