using Dapper;
using Fangkong.Storage;
using Fangkong.Tests.Support;
using static Fangkong.Tests.Control.ControlWorkflowTests;

namespace Fangkong.Tests.Control;

/// <summary>
/// Placement without dead ends, from the command line on both stores: a household of five that no room
/// takes whole is split over as few rooms as hold it, only with a reason; a reserve room (备而不用) opens
/// only with a reason; a person checks out and is placed again; a step recorded later carries the
/// time it happened, never a future one nor one before the order's last step.
/// </summary>
[Collection(nameof(Tests.Cli.ConsoleCollection))]
public sealed class PlacementTests
{
    private const string Now = "2021-10-21T10:00:00+08:00";
    private static readonly string[] Household = ["F1", "F2", "F3", "F4", "F5"];

    private static async Task<TestStore> HouseholdOfFiveAsync(StoreProvider provider)
    {
        var store = await TestStore.CreateAsync(provider);
        await store.WriteAsync("persons.csv", "person_id,name,community_code,address\n"
            + string.Concat(Household.Select((k, i) => $"{k},马{"甲乙丙丁戊"[i]},640104,幸福小区5号楼501室\n"))
            + "S1,李单,640104,解放街9号\n");
        await Ok(store, "import", "persons", store.File("persons.csv"));
        foreach (var key in Household.Append("S1"))
        {
            await Ok(store, "--now", Now, "control", "arrival", key, "--from", "high", "--left", "2021-10-20");
        }
        // Two household rooms of four and one single room; one reserve single room.
        await Ok(store, "site", "add", "Q5", "--name", "兴庆区隔离点", "--county", "640104", "--rooms", "101", "--household-rooms", "201-202", "--household-capacity", "4", "--reserve-rooms", "301");
        return store;
    }

    private static async Task<List<(string Person, string Room)>> StaysAsync(TestStore store)
    {
        await using var db = await store.OpenAsync();
        await using var c = await db.OpenConnectionAsync();
        return (await c.QueryAsync<(string, string)>("""
            SELECT p.person_key, r.room_no FROM room_stays s JOIN persons p ON p.id = s.person_id JOIN site_rooms r ON r.id = s.room_id
            WHERE s.checked_out IS NULL ORDER BY p.person_key
            """)).ToList();
    }

    [Theory]
    [MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task AHouseholdNoRoomTakesWhole_IsSplitOnlyWithAReason_OverAsFewRoomsAsHoldIt(StoreProvider provider)
    {
        await using var store = await HouseholdOfFiveAsync(provider);
        var refused = await Refused(store, "no quarantine site has a free room for a household of 5", "--now", Now, "site", "assign", "F1");
        Assert.Contains("--split", refused, StringComparison.Ordinal);
        await Refused(store, "splitting a household over rooms needs a reason", "--now", Now, "site", "assign", "F1", "--split");
        Assert.Empty(await StaysAsync(store));

        var output = await Ok(store, "--now", Now, "site", "assign", "F1", "--split", "--reason", "户内五人，无五人间");
        Assert.Equal(5, output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        var stays = await StaysAsync(store);
        Assert.Equal(Household, stays.Select(s => s.Person));
        // Four in one household room and the fifth in the other (a household room before a single one), none over capacity.
        Assert.Equal([1, 4], stays.GroupBy(s => s.Room).Select(g => g.Count()).Order());
        Assert.All(stays, s => Assert.StartsWith("20", s.Room, StringComparison.Ordinal));

        // Each member's loop records the split with its reason.
        await using (var db = await store.OpenAsync())
        await using (var c = await db.OpenConnectionAsync())
        {
            var details = (await c.QueryAsync<string>("""
                SELECT e.detail FROM control_events e JOIN control_orders o ON o.id = e.order_id JOIN persons p ON p.id = o.person_id
                WHERE p.person_key LIKE 'F%'
                """)).Select(d => Fangkong.Text.LoopLog.Read(d)).Where(d => d.Key == "event.roomSplit").ToList();
            Assert.Equal(5, details.Count);
            // Written once, read in each language.
            var texts = Fangkong.Application.Text.Texts.Default;
            Assert.All(details, d => Assert.Contains("household of 5 split over 2 rooms: 户内五人，无五人间", texts.Render("en", d), StringComparison.Ordinal));
            Assert.All(details, d => Assert.Contains("同户 5 人分 2 间安置：户内五人，无五人间", texts.Render("zh-CN", d), StringComparison.Ordinal));
            var audit = await c.QuerySingleAsync<string>("SELECT detail FROM audit_log WHERE action = 'control.place'");
            Assert.Contains("户内五人，无五人间", audit, StringComparison.Ordinal);
        }

        // The single person now finds the single room; nothing but the reserve room is left for anyone else.
        await Ok(store, "--now", Now, "site", "assign", "S1");
        Assert.Contains(("S1", "101"), await StaysAsync(store));
    }

    [Theory]
    [MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task AReserveRoomOpensOnlyWithAReason_AndAPersonChecksOutAndIsPlacedAgain(StoreProvider provider)
    {
        await using var store = await HouseholdOfFiveAsync(provider);
        await store.WriteAsync("more.csv", "person_id,name,community_code,address\nS2,张后,640104,解放街11号\n");
        await Ok(store, "import", "persons", store.File("more.csv"));
        await Ok(store, "--now", Now, "control", "arrival", "S2", "--from", "high", "--left", "2021-10-20");
        await Ok(store, "--now", Now, "site", "assign", "S1", "--site", "Q5", "--room", "101");
        await Ok(store, "--now", Now, "site", "assign", "F1", "--split", "--reason", "户内五人");

        // Only the reserve room is left: it opens when asked, with a reason.
        await Refused(store, "no quarantine site has a free room for one person", "--now", Now, "site", "assign", "S2");
        await Refused(store, "opening a reserve room needs a reason", "--now", Now, "site", "assign", "S2", "--use-reserve");
        await Ok(store, "--now", Now, "site", "assign", "S2", "--use-reserve", "--reason", "常规房间已满，指挥部同意启用");
        Assert.Contains(("S2", "301"), await StaysAsync(store));

        // Someone already in a room is told to check out first; checked out, they are placed again.
        await Refused(store, "is already in a room; check them out first", "--now", Now, "site", "assign", "S1");
        await Ok(store, "--now", Now, "site", "checkout", "S1");
        Assert.DoesNotContain(await StaysAsync(store), s => s.Person == "S1");
        await Ok(store, "--now", Now, "site", "assign", "S1");
        Assert.Contains(("S1", "101"), await StaysAsync(store));
    }

    [Theory]
    [MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task AStepRecordedLater_CarriesTheTimeItHappened(StoreProvider provider)
    {
        await using var store = await HouseholdOfFiveAsync(provider);
        await Refused(store, "cannot lie in the future", "--now", Now, "control", "move", "S1", "notified", "--at", "2021-10-21T10:30:00+08:00");
        await Refused(store, "before the order's last step", "--now", Now, "control", "move", "S1", "notified", "--at", "2021-10-21T09:00:00+08:00");
        await Ok(store, "--now", "2021-10-21T16:00:00+08:00", "control", "move", "S1", "notified", "--at", "2021-10-21T14:20:00+08:00");
        await Refused(store, "before the order's last step", "--now", "2021-10-21T16:00:00+08:00", "control", "move", "S1", "lost", "--reason", "电话不通", "--at", "2021-10-21T14:00:00+08:00");
        await using var db = await store.OpenAsync();
        await using var c = await db.OpenConnectionAsync();
        var (at, notifiedAt) = await c.QuerySingleAsync<(long, long)>("""
            SELECT e.at, o.notified_at FROM control_events e JOIN control_orders o ON o.id = e.order_id JOIN persons p ON p.id = o.person_id
            WHERE p.person_key = 'S1' AND e.to_status = 'notified'
            """);
        var expected = DateTimeOffset.Parse("2021-10-21T14:20:00+08:00", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds();
        Assert.Equal(expected, at);
        Assert.Equal(expected, notifiedAt);
    }
}
