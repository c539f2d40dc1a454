using Fangkong.Control;
using Fangkong.Policies;
using Fangkong.Storage;
using Fangkong.Storage.Cases;
using Fangkong.Storage.People;
using Fangkong.Storage.Sites;
using Fangkong.Storage.Staff;
using Fangkong.Storage.Tracing;
using Fangkong.Time;
using Fangkong.Storage.Control;
using Fangkong.Storage.Tasks;
using Fangkong.Tests.Support;

namespace Fangkong.Tests.Control;

/// <summary>
/// One outbreak through the closed loop from the command line, on both stores, under cn-v8-2021.
/// Case A (兴庆区) is reported 2021-10-18 09:00. B and H, one household, sat with A in the cinema on
/// 10-16 until 20:30: close contacts, day 0 = 10-16, 14 days in a site until 10-30, tests on days
/// 1, 4, 7, 14 (10-17, 10-20, 10-23, 10-30). C (金凤区) ate with B on 10-17 until 12:40: a secondary
/// contact, day 0 = 10-17, 7 days until 10-24, tests 10-18, 10-21, 10-24. Identified 10-18 12:00,
/// so B's day-1 test (10-17, already past) is taken on the identification day.
/// </summary>
[Collection(nameof(Tests.Cli.ConsoleCollection))]
public sealed class ControlWorkflowTests
{
    private const string T0 = "2021-10-18T12:00:00+08:00";

    internal static async Task<TestStore> OutbreakAsync(StoreProvider provider)
    {
        var store = await TestStore.CreateAsync(provider);
        await store.WriteAsync("persons.csv", """
            person_id,name,community_code,address
            A,王丽,640104,解放街1号
            B,马强,640104,幸福小区1号楼101室
            H,马红,640104,幸福小区1号楼101室
            C,李明,640106,阅海小区2号楼202室
            """);
        await store.WriteAsync("venues.csv", "venue_id,name,type,community_code\nv1,万达影城,cinema,640104\nv2,牛肉面馆,restaurant,640106\n");
        await store.WriteAsync("checkins.csv", """
            person_id,venue_id,check_in,check_out
            A,v1,2021-10-16T19:00:00+08:00,2021-10-16T21:00:00+08:00
            B,v1,2021-10-16T19:30:00+08:00,2021-10-16T20:30:00+08:00
            H,v1,2021-10-16T19:30:00+08:00,2021-10-16T20:30:00+08:00
            B,v2,2021-10-17T12:00:00+08:00,2021-10-17T12:40:00+08:00
            C,v2,2021-10-17T12:00:00+08:00,2021-10-17T12:40:00+08:00
            """);
        foreach (var kind in new[] { "persons", "venues", "checkins" })
        {
            await Ok(store, "import", kind, store.File(kind + ".csv"));
        }
        await Ok(store, "staff", "add", "W1", "--name", "网格员甲", "--role", "community_worker", "--jurisdiction", "640104");
        await Ok(store, "staff", "add", "W2", "--name", "网格员乙", "--role", "community_worker", "--jurisdiction", "640106");
        await Ok(store, "staff", "add", "W3", "--name", "网格员丙", "--role", "community_worker", "--jurisdiction", "640302");
        await Ok(store, "site", "add", "Q1", "--name", "兴庆区隔离点", "--county", "640104", "--rooms", "101", "--household-rooms", "201", "--household-capacity", "2", "--reserve-rooms", "301");
        return store;
    }

    internal static async Task<string> Ok(TestStore store, params string[] args)
    {
        var (code, output, err) = await Support.Cli.RunAsync(new[] { "--db", store.DbArgument }.Concat(args).ToArray());
        Assert.True(code == 0, $"{string.Join(' ', args)} → {code}: {err}{output}");
        return output;
    }

    internal static async Task<string> Refused(TestStore store, string expected, params string[] args)
    {
        var (code, output, err) = await Support.Cli.RunAsync(new[] { "--db", store.DbArgument }.Concat(args).ToArray());
        Assert.True(code == 2, $"{string.Join(' ', args)} should be refused but exited {code}: {output}");
        Assert.Contains(expected, err, StringComparison.Ordinal);
        return err;
    }

    /// <summary>Notified, given a room, transferred, handed over and under control, all at <see cref="T0"/>.</summary>
    private static async Task IntoTheSiteAsync(TestStore store, string person)
    {
        await Ok(store, "--now", T0, "control", "move", person, "notified");
        await Ok(store, "--now", T0, "site", "assign", person);
        await Ok(store, "--now", T0, "control", "move", person, "transfer_dispatched", "--vehicle", "宁A·1", "--crew", "1组");
        await Ok(store, "--now", T0, "control", "move", person, "arrived");
        await Ok(store, "--now", T0, "control", "move", person, "under_control");
    }

    private static async Task<ControlOrder> OrderOfAsync(TestStore store, string person)
    {
        await using var db = await store.OpenAsync();
        var p = await PersonRepository.FindAsync(db, person);
        return (await ControlRepository.ActiveForAsync(db, p!.Id))!;
    }

    [Theory]
    [MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task AnOutbreakGoesThroughTheLoop(StoreProvider provider)
    {
        await using var store = await OutbreakAsync(provider);
        var output = await Ok(store, "--now", T0, "case", "add", "A", "--classification", "confirmed", "--onset", "2021-10-17", "--report", "2021-10-18T09:00:00+08:00", "--isolation", "2021-10-18T11:00:00+08:00");
        Assert.Contains("2 close, 1 secondary", output, StringComparison.Ordinal);
        Assert.Contains("control orders: 4 new", output, StringComparison.Ordinal);

        // Orders computed from the policy and the last exposure, with monitors from the person's county.
        var b = await OrderOfAsync(store, "B");
        Assert.Equal((ControlGroup.CloseContact, ControlMeasure.CentralizedQuarantine, ControlStatus.Identified), (b.Group, b.Measure, b.Status));
        Assert.Equal((new DateOnly(2021, 10, 16), new DateOnly(2021, 10, 30)), (b.DayZero, b.PlannedEnd!.Value));
        Assert.Equal(("cn-v8-2021", "8.0"), (b.PolicyId, b.PolicyVersion));
        var c = await OrderOfAsync(store, "C");
        Assert.Equal((ControlGroup.SecondaryContact, new DateOnly(2021, 10, 24)), (c.Group, c.PlannedEnd!.Value));
        await using (var db = await store.OpenAsync())
        {
            Assert.Equal(["2021-10-18", "2021-10-20", "2021-10-23", "2021-10-30"], (await ControlRepository.TestsAsync(db, b.Id)).Select(t => t.DueDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
            Assert.Equal(["2021-10-18", "2021-10-21", "2021-10-24"], (await ControlRepository.TestsAsync(db, c.Id)).Select(t => t.DueDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
            Assert.Equal("W1", (await StaffRepository.FindAsync(db, b.MonitorId!.Value))!.Key);
            Assert.Equal("W2", (await StaffRepository.FindAsync(db, c.MonitorId!.Value))!.Key);
            var tasks = await TaskRepository.ListAsync(db, new TaskQuery());
            Assert.Equal(3, tasks.Count(t => t.Kind == "notify"));
            var transfer = tasks.Where(t => t.Kind == "transfer").ToList();
            Assert.Equal(3, transfer.Count);   // B, H and C: centralized under v8
            Assert.All(transfer, t => Assert.Equal(DateTimeOffset.Parse(T0, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds() + 12 * 3600, t.DueAt));
        }

        // Re-running the trace changes nothing: still one active order each.
        output = await Ok(store, "--now", T0, "control", "sync");
        Assert.Contains("0 new, 0 extended, 0 upgraded", output, StringComparison.Ordinal);

        // A monitor must answer for the person's place.
        await Refused(store, "outside the person's community", "--now", T0, "control", "monitor", "C", "W3");
        await Ok(store, "--now", T0, "control", "monitor", "C", "W2");

        // Steps out of order are refused, and change nothing.
        await Refused(store, "identified → under_control is not a step of the loop; next can be notified", "--now", T0, "control", "move", "B", "under_control");
        await Refused(store, "the person is not under control", "--now", T0, "control", "release", "B");
        await Ok(store, "--now", T0, "control", "move", "B", "notified");
        await Refused(store, "centralized quarantine needs the transfer", "--now", T0, "control", "move", "B", "under_control");
        await Refused(store, "needs --vehicle and --crew", "--now", T0, "control", "move", "B", "transfer_dispatched");
        await Refused(store, "assign one first", "--now", "2021-10-18T13:00:00+08:00", "control", "move", "B", "transfer_dispatched", "--vehicle", "宁A·12345", "--crew", "转运组3");

        // A household stays together: placing B brings H into the household room.
        output = await Ok(store, "--now", T0, "site", "assign", "B");
        Assert.Contains("B → Q1 room 201", output, StringComparison.Ordinal);
        Assert.Contains("H → Q1 room 201", output, StringComparison.Ordinal);
        await Refused(store, "room 201 is full", "--now", T0, "site", "assign", "C", "--site", "Q1", "--room", "201");
        await Refused(store, "reserve room", "--now", T0, "site", "assign", "C", "--site", "Q1", "--room", "301");
        output = await Ok(store, "--now", T0, "site", "assign", "C");
        Assert.Contains("C → Q1 room 101", output, StringComparison.Ordinal);
        await Refused(store, "person A has no active centralized-quarantine order", "--now", T0, "site", "assign", "A", "--site", "Q1");
        await Ok(store, "--now", "2021-10-18T16:00:00+08:00", "control", "move", "B", "transfer_dispatched", "--vehicle", "宁A·12345", "--crew", "转运组3");
        await Ok(store, "--now", "2021-10-18T17:00:00+08:00", "control", "move", "B", "arrived");
        await Ok(store, "--now", "2021-10-18T17:05:00+08:00", "control", "move", "B", "under_control");

        // Optimistic concurrency: an officer acting on an order read before someone else changed it is refused.
        var stale = (await OrderOfAsync(store, "H")).Version;
        await Ok(store, "--now", "2021-10-18T17:10:00+08:00", "control", "move", "H", "notified", "--expect-version", $"{stale}");
        await Refused(store, "someone changed it", "--now", "2021-10-18T17:11:00+08:00", "control", "move", "H", "lost", "--reason", "电话未接", "--expect-version", $"{stale}");

        // B's first test is taken on the identification day; an unknown sample is refused.
        await Ok(store, "--now", "2021-10-18T18:00:00+08:00", "control", "sample", "B", "--sample", "S-B-1");
        await Refused(store, "unknown sample 'S-404'", "--now", "2021-10-18T20:00:00+08:00", "control", "result", "S-404", "negative");
        await Ok(store, "--now", "2021-10-18T20:00:00+08:00", "control", "result", "S-B-1", "negative");
        await Ok(store, "--now", "2021-10-18T20:00:00+08:00", "control", "check", "B", "--temperature", "36.5");

        // The clock three days on: missed tests, missed health checks, escalations, and the audit.
        output = await Ok(store, "--now", "2021-10-21T08:00:00+08:00", "control", "tick");
        await using (var db = await store.OpenAsync(new FixedClock(DateTimeOffset.Parse("2021-10-21T08:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture))))
        {
            var open = await TaskRepository.ListAsync(db, new TaskQuery(Limit: 10_000));
            var missedTest = open.Single(t => t.Key == $"test:{b.Id}:2021-10-20");               // B's day-4 test missed
            // The catch-up is due by the end of the day it is found on, not already overdue when made.
            Assert.Equal((DateTimeOffset.Parse("2021-10-22T00:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds(), 0), (missedTest.DueAt, missedTest.EscalationLevel));
            Assert.DoesNotContain(open, t => t.Key == $"test:{b.Id}:2021-10-18");                // sampled
            Assert.Contains(open, t => t.Key == $"health:{b.Id}:2021-10-19");                    // no check on 10-19
            Assert.Contains(open, t => t.Key == $"health:{b.Id}:2021-10-20");
            var cNotify = open.Single(t => t.Key == $"notify:{c.Id}");
            Assert.Equal((3, "640000"), (cNotify.EscalationLevel, cNotify.OwnerJurisdiction));    // due 10-18 14:00, 66 h overdue
            Assert.NotEmpty(await TaskRepository.EscalationsAsync(db, cNotify.Id));
            var missing = await MissingAudit.RunAsync(db);
            Assert.Contains(missing, m => m.Kind == "transfer_overdue" && m.PersonKey == "C" && m.Answerable == "640106");
            Assert.Contains(missing, m => m.Kind == "test_overdue" && m.PersonKey == "B" && m.Answerable.StartsWith("W1", StringComparison.Ordinal));
            Assert.DoesNotContain(missing, m => m.Kind is "no_monitor" or "release_overdue");
        }
        await Refused(store, "the planned end is 2021-10-30", "--now", "2021-10-21T09:00:00+08:00", "control", "release", "B");

        // The follow-up check completes the missed days' tasks (a health check task is done by its action).
        await Ok(store, "--now", "2021-10-21T09:30:00+08:00", "control", "check", "B", "--temperature", "36.6");
        await using (var db = await store.OpenAsync())
        {
            var health = (await TaskRepository.ListAsync(db, new TaskQuery(Status: null, Limit: 10_000))).Where(t => t.Kind == "health_check" && t.SourceId == b.Id).ToList();
            Assert.Equal(["done", "done"], health.Select(t => t.Status));
        }
    }

    [Theory]
    [MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task ReleaseAfterAllNegativeTests_MovesOnToHomeHealthMonitoring(StoreProvider provider)
    {
        await using var store = await OutbreakAsync(provider);
        await Ok(store, "--now", T0, "case", "add", "A", "--classification", "confirmed", "--onset", "2021-10-17", "--report", "2021-10-18T09:00:00+08:00", "--isolation", "2021-10-18T11:00:00+08:00");
        await IntoTheSiteAsync(store, "B");
        foreach (var day in new[] { "18", "20", "23", "30" })
        {
            await Ok(store, "--now", $"2021-10-{day}T09:00:00+08:00", "control", "sample", "B", "--sample", $"S{day}");
            await Ok(store, "--now", $"2021-10-{day}T18:00:00+08:00", "control", "result", $"S{day}", "negative");
            if (day == "23")
            {
                await Ok(store, "--now", "2021-10-23T20:00:00+08:00", "control", "tick");   // no health checks recorded: three missed days
            }
        }
        var before = await OrderOfAsync(store, "B");
        var output = await Ok(store, "--now", "2021-10-30T19:00:00+08:00", "control", "release", "B");
        await using (var tasks = await store.OpenAsync())
        {
            // The released order's tasks: the release review done, the missed checks cancelled, nothing left open to escalate.
            var ofOrder = (await TaskRepository.ListAsync(tasks, new TaskQuery(Status: null, Limit: 10_000))).Where(t => t.SourceId == before.Id).ToList();
            Assert.Equal(3, ofOrder.Count(t => t.Kind == "health_check" && t.Status == "cancelled"));
            Assert.DoesNotContain(ofOrder, t => t.Status == "open");
        }
        var next = await OrderOfAsync(store, "B");
        // The basis reads in the command line's language (Chinese unless FANGKONG_LANG=en).
        Assert.Contains($"转为居家健康监测（管控 #{next.Id}）", output, StringComparison.Ordinal);
        Assert.NotEqual(before.Id, next.Id);
        Assert.Equal((ControlMeasure.HomeHealthMonitoring, ControlStatus.UnderControl, 1, new DateOnly(2021, 11, 6)), (next.Measure, next.Status, next.Step, next.PlannedEnd!.Value));
        await using var db = await store.OpenAsync();
        Assert.Equal(["2021-11-01", "2021-11-06"], (await ControlRepository.TestsAsync(db, next.Id)).Select(t => t.DueDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(ControlStatus.Released, (await ControlRepository.FindAsync(db, before.Id))!.Status);
        var rooms = await SiteRepository.RoomsAsync(db, "Q1");
        Assert.Equal(0, rooms.Single(r => r.RoomNo == "201").Occupants - 1);   // H is still there; B checked out
        var scores = await Scorecard.CasesAsync(db, PolicyCatalog.Load().Get("cn-v8-2021"));
        var a = Assert.Single(scores);
        Assert.Equal((2, 1, false), (a.CloseContacts, a.UnderControl, a.Met));   // H never under control: pending
    }

    [Theory]
    [MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task APositiveCloseContact_BecomesACase_AndItsSecondaryContactIsUpgraded(StoreProvider provider)
    {
        await using var store = await OutbreakAsync(provider);
        await Ok(store, "--now", T0, "case", "add", "A", "--classification", "confirmed", "--onset", "2021-10-17", "--report", "2021-10-18T09:00:00+08:00", "--isolation", "2021-10-18T11:00:00+08:00");
        var cBefore = await OrderOfAsync(store, "C");
        await IntoTheSiteAsync(store, "B");
        await Ok(store, "--now", "2021-10-18T14:00:00+08:00", "control", "sample", "B", "--sample", "SB1");
        var output = await Ok(store, "--now", "2021-10-18T22:00:00+08:00", "control", "result", "SB1", "positive");
        Assert.Contains("now a case", output, StringComparison.Ordinal);
        Assert.Contains("1 upgraded, 1 converted to case", output, StringComparison.Ordinal);
        var b = await OrderOfAsync(store, "B");
        Assert.Equal(ControlGroup.Case, b.Group);
        var c = await OrderOfAsync(store, "C");
        Assert.Equal(cBefore.Id, c.Id);
        Assert.Equal((ControlGroup.CloseContact, new DateOnly(2021, 10, 31)), (c.Group, c.PlannedEnd!.Value));   // 14 days from 10-17
        await using var db = await store.OpenAsync();
        var cases = await CaseRepository.LoadAllAsync(db);
        Assert.Equal(Fangkong.Cases.CaseClassification.Asymptomatic, cases.Single(k => k.PersonId == b.PersonId).Classification);
        var events = await ControlRepository.EventsAsync(db, cBefore.Id);
        Assert.Contains(events, e => Fangkong.Application.Text.Texts.Default.Render("en", Fangkong.Text.LoopLog.Read(e.Detail)).StartsWith("upgraded to close contact of case #", StringComparison.Ordinal));
    }

    /// <summary>
    /// The 9th edition (SPEC 3): close contacts 7 days in a site with tests on days 1, 2, 3, 5, 7;
    /// secondary contacts 7 days of home quarantine (no transfer) with tests on days 1, 4, 7.
    /// </summary>
    [Theory]
    [MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task UnderTheNinthEdition_SecondaryContactsStayHome(StoreProvider provider)
    {
        await using var store = await OutbreakAsync(provider);
        await Ok(store, "--now", "2021-10-17T20:00:00+08:00", "case", "add", "A", "--policy", "cn-v9-2022", "--classification", "confirmed", "--onset", "2021-10-17", "--report", "2021-10-17T19:00:00+08:00");
        var b = await OrderOfAsync(store, "B");
        var c = await OrderOfAsync(store, "C");
        Assert.Equal((ControlMeasure.CentralizedQuarantine, new DateOnly(2021, 10, 23), "cn-v9-2022"), (b.Measure, b.PlannedEnd!.Value, b.PolicyId));
        Assert.Equal((ControlMeasure.HomeQuarantine, new DateOnly(2021, 10, 24), "阅海小区2号楼202室"), (c.Measure, c.PlannedEnd!.Value, c.HomeAddress!));
        await using var db = await store.OpenAsync();
        string[] Dates(List<TestSlot> t) => t.Select(x => x.DueDate.ToString("MM-dd", System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(["10-17", "10-18", "10-19", "10-21", "10-23"], Dates(await ControlRepository.TestsAsync(db, b.Id)));   // day 1 (10-17) is the identification day
        Assert.Equal(["10-18", "10-21", "10-24"], Dates(await ControlRepository.TestsAsync(db, c.Id)));
        var tasks = await TaskRepository.ListAsync(db, new TaskQuery(Kind: "transfer"));
        Assert.DoesNotContain(tasks, t => t.PersonKey == "C");
        Assert.Contains(tasks, t => t.PersonKey == "B");
        await Ok(store, "--now", "2021-10-17T21:00:00+08:00", "control", "move", "C", "notified");
        await Refused(store, "a home_quarantine order has no transfer", "--now", "2021-10-17T21:00:00+08:00", "control", "move", "C", "transfer_dispatched", "--vehicle", "宁A·1", "--crew", "1组");
        await Ok(store, "--now", "2021-10-17T21:30:00+08:00", "control", "move", "C", "under_control");
    }

    /// <summary>
    /// A later exposure moves the planned end and the test days ("counted from the last exposure"):
    /// a late check-in shows H with A again on 10-17 until 20:00, so H's 14 days run to 10-31.
    /// A case reclassified as not a case leaves its contacts' orders for review, not released.
    /// </summary>
    [Theory]
    [MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task ALaterExposureExtendsTheOrder_AndAWithdrawnCaseAsksForReview(StoreProvider provider)
    {
        await using var store = await OutbreakAsync(provider);
        await Ok(store, "--now", T0, "case", "add", "A", "--classification", "confirmed", "--onset", "2021-10-17", "--report", "2021-10-18T09:00:00+08:00", "--isolation", "2021-10-18T11:00:00+08:00");
        var before = await OrderOfAsync(store, "H");
        Assert.Equal(new DateOnly(2021, 10, 30), before.PlannedEnd!.Value);
        await store.WriteAsync("late.csv", "person_id,venue_id,check_in,check_out\nA,v1,2021-10-17T19:00:00+08:00,2021-10-17T20:00:00+08:00\nH,v1,2021-10-17T19:00:00+08:00,2021-10-17T20:00:00+08:00\n");
        await Ok(store, "import", "checkins", store.File("late.csv"));
        var output = await Ok(store, "--now", "2021-10-18T15:00:00+08:00", "trace", "--policy", "cn-v8-2021", "--as-of", "2021-10-18T15:00:00+08:00", "--out", store.File("contacts.csv"));
        var after = await OrderOfAsync(store, "H");
        Assert.Equal((before.Id, new DateOnly(2021, 10, 17), new DateOnly(2021, 10, 31)), (after.Id, after.DayZero, after.PlannedEnd!.Value));
        await using (var db = await store.OpenAsync())
        {
            Assert.Equal(["10-18", "10-21", "10-24", "10-31"], (await ControlRepository.TestsAsync(db, after.Id)).Select(t => t.DueDate.ToString("MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
            Assert.Contains(await ControlRepository.EventsAsync(db, after.Id), e => Fangkong.Application.Text.Texts.Default.Render("en", Fangkong.Text.LoopLog.Read(e.Detail)).StartsWith("extended by a new exposure on 2021-10-17", StringComparison.Ordinal));
        }
        await Ok(store, "--now", "2021-10-19T10:00:00+08:00", "case", "reclassify", "A", "not_a_case");
        await using (var db = await store.OpenAsync())
        {
            var reviews = await TaskRepository.ListAsync(db, new TaskQuery(Kind: "review"));
            Assert.Equal("A,B,C,H", string.Join(",", reviews.Select(t => t.PersonKey!).Order(StringComparer.Ordinal)));
            Assert.True((await OrderOfAsync(store, "B")).Active);   // still in the loop until someone decides
        }
    }

    /// <summary>An arrival from a high-risk area under cn-v8-2021: 14 days in a site from the day they left, tests on days 1, 4, 7, 10, 14.</summary>
    [Theory]
    [MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task AnArrivalFromAHighRiskArea_Gets14DaysInASite(StoreProvider provider)
    {
        await using var store = await OutbreakAsync(provider);
        var output = await Ok(store, "--now", "2021-10-21T10:00:00+08:00", "control", "arrival", "C", "--from", "high", "--left", "2021-10-20");
        Assert.Contains("集中隔离 until 2021-11-03", output, StringComparison.Ordinal);
        var c = await OrderOfAsync(store, "C");
        Assert.Equal(ControlGroup.ArrivalHighRisk, c.Group);
        await using (var db = await store.OpenAsync())
        {
            Assert.Equal(["10-21", "10-24", "10-27", "10-30", "11-03"], (await ControlRepository.TestsAsync(db, c.Id)).Select(t => t.DueDate.ToString("MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
        }
        await Refused(store, "already has an active order", "--now", "2021-10-21T11:00:00+08:00", "control", "arrival", "C", "--from", "medium", "--left", "2021-10-20");
        await Refused(store, "has no measure for arrival_low_risk", "--now", "2021-10-21T11:00:00+08:00", "control", "arrival", "B", "--from", "low", "--left", "2021-10-20");
    }

    [Theory]
    [MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task TwoOfficersActingAtOnce_OneWinsTheOtherIsTold(StoreProvider provider)
    {
        await using var store = await OutbreakAsync(provider);
        await Ok(store, "--now", T0, "case", "add", "A", "--classification", "confirmed", "--onset", "2021-10-17", "--report", "2021-10-18T09:00:00+08:00");
        var h = await OrderOfAsync(store, "H");
        await using var db = await store.OpenAsync(new FixedClock(DateTimeOffset.Parse(T0, System.Globalization.CultureInfo.InvariantCulture)));
        var attempts = await Task.WhenAll(Enumerable.Range(0, 2).Select(async i =>
        {
            try
            {
                await ControlActions.MoveAsync(db, h.Id, i == 0 ? ControlStatus.Notified : ControlStatus.Lost, $"officer{i}", new MoveDetails("电话未接"), h.Version);
                return "won";
            }
            catch (ConcurrencyException)
            {
                return "told";
            }
        }));
        Assert.Equal(["told", "won"], attempts.Order(StringComparer.Ordinal));
        var after = (await ControlRepository.FindAsync(db, h.Id))!;
        Assert.Equal(h.Version + 1, after.Version);
        Assert.Equal(2, (await ControlRepository.EventsAsync(db, h.Id)).Count);   // identified + the winner's step
    }

    [Theory]
    [MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task AContactStoredWithoutTheControlStep_IsARowOfTheAudit_UntilTheSync(StoreProvider provider)
    {
        await using var store = await OutbreakAsync(provider);
        await Ok(store, "--now", T0, "case", "add", "A", "--classification", "confirmed", "--onset", "2021-10-17", "--report", "2021-10-18T09:00:00+08:00");
        // A late check-in puts D with A in the cinema; a trace stored by another tool has no control step.
        await store.WriteAsync("late.csv", "person_id,name,community_code,address\nD,赵强,640104,解放街9号\n");
        await Ok(store, "import", "persons", store.File("late.csv"));
        await store.WriteAsync("late-checkins.csv", "person_id,venue_id,check_in,check_out\nD,v1,2021-10-16T19:00:00+08:00,2021-10-16T20:00:00+08:00\n");
        await Ok(store, "import", "checkins", store.File("late-checkins.csv"));
        var later = new FixedClock(DateTimeOffset.Parse("2021-10-18T13:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture));
        await using (var db = await store.OpenAsync(later))
        {
            Assert.Empty(await MissingAudit.RunAsync(db, kind: "no_order"));
            await TraceRunner.RunAsync(db, PolicyCatalog.Load().Get("cn-v8-2021"), db.Now, store: true);
            var row = Assert.Single(await MissingAudit.RunAsync(db, kind: "no_order"));
            Assert.Equal(("D", "640104"), (row.PersonKey, row.Answerable));
            Assert.Contains("close contact", Fangkong.Application.Text.Texts.Default.Render("en", row.Said), StringComparison.OrdinalIgnoreCase);
        }
        var output = await Ok(store, "--now", "2021-10-18T13:00:00+08:00", "audit", "missing", "--kind", "no_order");
        Assert.Contains("1 gap(s)", output, StringComparison.Ordinal);
        output = await Ok(store, "--now", "2021-10-18T13:05:00+08:00", "control", "sync");
        Assert.Contains("1 new", output, StringComparison.Ordinal);
        output = await Ok(store, "--now", "2021-10-18T13:05:00+08:00", "audit", "missing", "--kind", "no_order");
        Assert.Contains("0 gap(s)", output, StringComparison.Ordinal);
    }
}
