using Fangkong.Cli.Commands;
using Fangkong.Control;
using Fangkong.Storage;
using Fangkong.Storage.Control;
using Fangkong.Storage.People;
using Fangkong.Tests.Support;
using Fangkong.Time;

namespace Fangkong.Tests.Tracing;

/// <summary>
/// Grid co-presence (时空伴随者) through the batch command line: <c>import gridstays</c>, then
/// <c>trace … --out contacts.csv --grid-out grid.csv</c>. Checked against the brute-force oracle on
/// random data under both profiles and both stores, and against an outbreak worked by hand.
/// </summary>
[Collection(nameof(Cli.ConsoleCollection))]
public sealed class GridCoPresenceTests
{
    private static readonly DeploymentCalendar Calendar = DeploymentCalendar.Default;

    private const string Header = "person_id,index_person_id,cell_id,exposure_start,exposure_end";

    internal sealed record GridRow(string Person, string Index, string Cell, string Start, string End);

    private static async Task<(List<BatchContractTests.Row> Contacts, List<GridRow> Grid)> RunAsync(TestStore store, string policy, string asOf, bool simulated = false)
    {
        foreach (var kind in new[] { "persons", "venues", "checkins", "exposures", "cases", "gridstays" })
        {
            var (code, _, err) = await Support.Cli.RunAsync("--db", store.DbArgument, "import", kind, store.File(kind + ".csv"));
            Assert.True(code == 0, $"import {kind}: {err}");
        }
        var (traced, _, error) = await Support.Cli.RunAsync([.. (simulated ? new[] { "--now", asOf } : []), "--db", store.DbArgument, "trace", "--policy", policy, "--as-of", asOf, "--out", store.File("contacts.csv"), "--grid-out", store.File("grid.csv")]);
        Assert.True(traced == 0, error);
        var contacts = (await File.ReadAllLinesAsync(store.File("contacts.csv"))).Skip(1).Select(l => l.Split(','))
            .Select(f => new BatchContractTests.Row(f[0], f[1], f[2], f[3], f[4], f[5], f[6])).ToList();
        var lines = await File.ReadAllLinesAsync(store.File("grid.csv"));
        Assert.Equal(Header, lines[0]);
        return (contacts, lines.Skip(1).Select(l => l.Split(',')).Select(f => new GridRow(f[0], f[1], f[2], f[3], f[4])).ToList());
    }

    private static async Task CheckAgainstOracleAsync(StoreProvider provider, int seed, string policy, int daysBefore)
    {
        var data = new RandomOutbreak(seed);
        await using var store = await TestStore.CreateAsync(provider);
        await data.WriteAsync(store);
        var (contacts, grid) = await RunAsync(store, policy, Calendar.Format(data.AsOf));

        var windows = data.Windows(daysBefore);
        var traced = TracingOracle.Trace(windows, data.Stays, data.Exposures, 15 * 60, data.AsOf);
        Assert.Equal(traced.Keys.Order(StringComparer.Ordinal), contacts.Select(r => r.Person).Order(StringComparer.Ordinal));   // the contract file is unchanged by grid stays
        var expected = TracingOracle.Grid(windows, data.GridStays, traced.Keys.ToHashSet(StringComparer.Ordinal), 10 * 60);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), grid.Select(r => r.Person));   // one row a person, in person_id order
        foreach (var row in grid)
        {
            Assert.True(expected[row.Person].Any(c => c.Index == row.Index && c.Venue == row.Cell && Calendar.Format(c.Start) == row.Start && Calendar.Format(c.End) == row.End),
                $"seed {seed}: {row} is not among the oracle's answers {string.Join(" | ", expected[row.Person])}");
        }
    }

    public static IEnumerable<object[]> Seeds => Enumerable.Range(1, 60).Select(s => new object[] { s });

    [Theory]
    [MemberData(nameof(Seeds))]
    public Task RandomData_MatchesTheOracle_V8(int seed) => CheckAgainstOracleAsync(StoreProvider.Sqlite, 30_000 + seed, "cn-v8-2021", 2);

    [Theory]
    [MemberData(nameof(Seeds))]
    public Task RandomData_MatchesTheOracle_V9(int seed) => CheckAgainstOracleAsync(StoreProvider.Sqlite, 40_000 + seed, "cn-v9-2022", 4);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public Task RandomData_MatchesTheOracle_OnPostgres(int seed) => CheckAgainstOracleAsync(StoreProvider.Postgres, 50_000 + seed, "cn-v9-2022", 4);

    /// <summary>
    /// Case A: onset 2021-10-17, isolated 2021-10-18 11:00; the 8th edition's window opens 2021-10-15 00:00,
    /// the 9th's 2021-10-13 00:00. B is A's close contact (cinema), D B's secondary contact (restaurant).
    /// </summary>
    private static async Task<TestStore> OutbreakAsync(StoreProvider provider = StoreProvider.Sqlite)
    {
        var store = await TestStore.CreateAsync(provider);
        await store.WriteAsync("persons.csv", "person_id\nA\nB\nD\nP\nQ\nR\nS\nT\nU\n");
        await store.WriteAsync("venues.csv", "venue_id,type\nv1,cinema\nv2,restaurant\n");
        await store.WriteAsync("checkins.csv", """
            person_id,venue_id,check_in,check_out
            A,v1,2021-10-16T18:00:00+08:00,2021-10-16T18:30:00+08:00
            B,v1,2021-10-16T18:00:00+08:00,2021-10-16T18:30:00+08:00
            B,v2,2021-10-17T12:00:00+08:00,2021-10-17T13:00:00+08:00
            D,v2,2021-10-17T12:00:00+08:00,2021-10-17T13:00:00+08:00
            """);
        await store.WriteAsync("exposures.csv", "person_id,other_person_id,setting,start,end\n");
        await store.WriteAsync("cases.csv", "person_id,classification,onset_date,sampling_time,report_time,isolation_time\nA,confirmed,2021-10-17,2021-10-18T07:00:00+08:00,2021-10-18T09:00:00+08:00,2021-10-18T11:00:00+08:00\n");
        await store.WriteAsync("gridstays.csv", """
            person_id,cell_id,start,end
            A,c1,2021-10-16T08:00:00+08:00,2021-10-16T09:00:00+08:00
            P,c1,2021-10-16T08:50:00+08:00,2021-10-16T09:30:00+08:00
            Q,c1,2021-10-16T08:49:59+08:00,2021-10-16T09:30:00+08:00
            B,c1,2021-10-16T08:00:00+08:00,2021-10-16T09:00:00+08:00
            D,c1,2021-10-16T08:00:00+08:00,2021-10-16T09:00:00+08:00
            A,c2,2021-10-14T10:00:00+08:00,2021-10-14T11:00:00+08:00
            R,c2,2021-10-14T10:00:00+08:00,2021-10-14T10:30:00+08:00
            A,c3,2021-10-14T23:50:00+08:00,2021-10-15T00:30:00+08:00
            S,c3,2021-10-14T23:50:00+08:00,2021-10-15T00:20:00+08:00
            A,c4,2021-10-18T10:00:00+08:00,2021-10-18T12:00:00+08:00
            T,c4,2021-10-18T10:45:00+08:00,2021-10-18T11:30:00+08:00
            U,c4,2021-10-18T10:52:00+08:00,2021-10-18T11:30:00+08:00
            Q,c4,2021-10-18T10:00:00+08:00,2021-10-18T10:30:00+08:00
            """);
        return store;
    }

    [Fact]
    public async Task EighthEdition_ByHand()
    {
        await using var store = await OutbreakAsync();
        var (contacts, grid) = await RunAsync(store, "cn-v8-2021", "2021-10-20T12:00:00+08:00");
        Assert.Equal(["B", "D"], contacts.Select(c => c.Person));   // close and secondary: the grid changes neither
        Assert.Equal(
        [
            new("Q", "A", "c1", "2021-10-16T08:49:59+08:00", "2021-10-16T09:00:00+08:00"),   // 10 min 1 s; its later stay in c4 does not win
            new("S", "A", "c3", "2021-10-15T00:00:00+08:00", "2021-10-15T00:20:00+08:00"),   // clipped at the window's start
            new("T", "A", "c4", "2021-10-18T10:45:00+08:00", "2021-10-18T11:00:00+08:00"),   // clipped at isolation
        ], grid);   // P: exactly 10 minutes; R: before the window; U: 8 minutes before isolation; B and D: higher tiers
    }

    [Fact]
    public async Task NinthEdition_ByHand()
    {
        await using var store = await OutbreakAsync();
        var (_, grid) = await RunAsync(store, "cn-v9-2022", "2021-10-20T12:00:00+08:00");
        Assert.Equal(
        [
            new("Q", "A", "c1", "2021-10-16T08:49:59+08:00", "2021-10-16T09:00:00+08:00"),
            new("R", "A", "c2", "2021-10-14T10:00:00+08:00", "2021-10-14T10:30:00+08:00"),   // inside the four-day window
            new("S", "A", "c3", "2021-10-14T23:50:00+08:00", "2021-10-15T00:20:00+08:00"),
            new("T", "A", "c4", "2021-10-18T10:45:00+08:00", "2021-10-18T11:00:00+08:00"),
        ], grid);
    }

    [Theory]
    [MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task GridContacts_AreStored_WithTheProfilesHealthMonitoring(StoreProvider provider)
    {
        await using var store = await OutbreakAsync(provider);
        // Traced, and the orders made, an hour after A's isolation.
        await RunAsync(store, "cn-v8-2021", "2021-10-18T12:00:00+08:00", simulated: true);
        await using var db = await store.OpenAsync();
        var q = (await PersonRepository.FindAsync(db, "Q"))!;
        var stored = Assert.Single(await Fangkong.Storage.Contacts.ContactRepository.LoadAsync(db), c => c.Finding.Person == q.Id);
        Assert.Equal(Fangkong.Tracing.ContactTier.Grid, stored.Finding.Tier);
        Assert.Equal("c1", (await Fangkong.Storage.Grid.GridCellRepository.LoadAllAsync(db))[stored.Finding.Cell!.Value]);
        // Health monitoring for 3 days with tests on days 1 and 3, day 0 being the last exposure (2021-10-18, in c4).
        var order = (await ControlRepository.ActiveForAsync(db, q.Id))!;
        Assert.Equal((ControlGroup.GridContact, ControlMeasure.HealthMonitoring, new DateOnly(2021, 10, 18), new DateOnly(2021, 10, 21)), (order.Group, order.Measure, order.DayZero, order.PlannedEnd!.Value));
        Assert.Equal([new DateOnly(2021, 10, 19), new DateOnly(2021, 10, 21)], (await ControlRepository.TestsAsync(db, order.Id)).Select(t => t.DueDate));
        // B keeps the close contact's plan although B was in c1 with A too.
        Assert.Equal(ControlGroup.CloseContact, (await ControlRepository.ActiveForAsync(db, (await PersonRepository.FindAsync(db, "B"))!.Id))!.Group);
    }

    [Fact]
    public async Task NoGridStays_WritesTheHeaderOnly()
    {
        await using var store = await OutbreakAsync();
        await store.WriteAsync("gridstays.csv", "person_id,cell_id,start,end\n");
        var (contacts, grid) = await RunAsync(store, "cn-v8-2021", "2021-10-20T12:00:00+08:00");
        Assert.Empty(grid);
        Assert.Equal(["B", "D"], contacts.Select(c => c.Person));
        Assert.Equal([Header], await File.ReadAllLinesAsync(store.File("grid.csv")));
    }

    [Fact]
    public async Task BadGridStays_AreRefusedByLine_OrSkipped()
    {
        await using var store = await OutbreakAsync();
        Assert.Equal(0, (await Support.Cli.RunAsync("--db", store.DbArgument, "import", "persons", store.File("persons.csv"))).Code);
        await store.WriteAsync("bad.csv", """
            person_id,cell_id,start,end
            A,c1,2021-10-16T08:00:00+08:00,2021-10-16T09:00:00+08:00
            NOBODY,c1,2021-10-16T08:00:00+08:00,2021-10-16T09:00:00+08:00
            Q,c1,2021-10-16T09:00:00+08:00,2021-10-16T08:00:00+08:00
            Q,,2021-10-16T08:00:00+08:00,2021-10-16T09:00:00+08:00
            """);
        var (code, output, error) = await Support.Cli.RunAsync("--db", store.DbArgument, "import", "gridstays", store.File("bad.csv"));
        Assert.NotEqual(0, code);
        var said = output + error;
        Assert.Contains("line 3, column person_id: 'NOBODY' is not a known person", said, StringComparison.Ordinal);
        Assert.Contains("line 4, column end: is before start", said, StringComparison.Ordinal);
        Assert.Contains("line 5, column cell_id: is empty", said, StringComparison.Ordinal);
        await using (var db = await store.OpenAsync())
        {
            var grid = await Fangkong.Storage.Checkins.CheckinStores.OpenAsync(db, Fangkong.Storage.Checkins.StayKind.GridStays);
            Assert.Empty(await grid.ListDaysAsync());   // all or nothing
        }
        Assert.Equal(0, (await Support.Cli.RunAsync("--db", store.DbArgument, "import", "gridstays", store.File("bad.csv"), "--skip-bad")).Code);
        await using (var db = await store.OpenAsync())
        {
            var grid = await Fangkong.Storage.Checkins.CheckinStores.OpenAsync(db, Fangkong.Storage.Checkins.StayKind.GridStays);
            Assert.Equal(1, (await grid.ListDaysAsync()).Sum(d => d.Rows));
        }
        Assert.Equal(4, (await File.ReadAllLinesAsync(store.File("bad.rejects.csv"))).Length);
        // The same file again changes nothing.
        Assert.Equal(0, (await Support.Cli.RunAsync("--db", store.DbArgument, "import", "gridstays", store.File("bad.csv"), "--skip-bad")).Code);
        await using (var db = await store.OpenAsync())
        {
            var grid = await Fangkong.Storage.Checkins.CheckinStores.OpenAsync(db, Fangkong.Storage.Checkins.StayKind.GridStays);
            Assert.Equal(1, (await grid.ListDaysAsync()).Sum(d => d.Rows));
        }
    }
}
