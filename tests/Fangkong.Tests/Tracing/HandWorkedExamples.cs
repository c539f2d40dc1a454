using Fangkong.Storage;
using Fangkong.Tests.Support;

namespace Fangkong.Tests.Tracing;

/// <summary>
/// One outbreak worked by hand from the protocol's definitions, traced under both presets.
/// Case A: onset 2021-10-17, isolated 2021-10-18 11:00. The 8th edition traces from 2 days before
/// onset (2021-10-15 00:00), the 9th from 4 days (2021-10-13 00:00); both need 15 minutes together.
/// </summary>
[Collection(nameof(Cli.ConsoleCollection))]
public sealed class HandWorkedExamples
{
    private static async Task<TestStore> OutbreakAsync()
    {
        var store = await TestStore.CreateAsync(StoreProvider.Sqlite);
        await store.WriteAsync("persons.csv", "person_id\nA\nB\nC\nD\nE\nF\nG\nH\n");
        await store.WriteAsync("venues.csv", "venue_id,type\nv1,cinema\nv2,restaurant\nv3,gym\n");
        await store.WriteAsync("checkins.csv", """
            person_id,venue_id,check_in,check_out
            A,v1,2021-10-14T23:40:00+08:00,2021-10-15T00:30:00+08:00
            B,v1,2021-10-14T23:50:00+08:00,2021-10-15T00:20:00+08:00
            A,v2,2021-10-16T12:00:00+08:00,2021-10-16T12:30:00+08:00
            C,v2,2021-10-16T12:15:00+08:00,2021-10-16T12:45:00+08:00
            D,v2,2021-10-16T12:15:01+08:00,2021-10-16T12:30:00+08:00
            A,v2,2021-10-18T10:50:00+08:00,2021-10-18T11:30:00+08:00
            E,v2,2021-10-18T10:40:00+08:00,2021-10-18T11:30:00+08:00
            C,v3,2021-10-17T18:00:00+08:00,2021-10-17T19:00:00+08:00
            G,v3,2021-10-17T18:30:00+08:00,2021-10-17T19:30:00+08:00
            C,v3,2021-10-16T08:00:00+08:00,2021-10-16T09:00:00+08:00
            H,v3,2021-10-16T08:00:00+08:00,2021-10-16T09:00:00+08:00
            B,v1,2021-10-19T10:30:00+08:00,2021-10-19T11:30:00+08:00
            D,v1,2021-10-19T10:00:00+08:00,2021-10-19T11:00:00+08:00
            """);
        await store.WriteAsync("exposures.csv", "person_id,other_person_id,setting,start,end\nF,A,household,2021-10-10T00:00:00+08:00,2021-10-15T08:00:00+08:00\n");
        await store.WriteAsync("cases.csv", "person_id,classification,onset_date,sampling_time,report_time,isolation_time\nA,confirmed,2021-10-17,2021-10-18T07:00:00+08:00,2021-10-18T09:00:00+08:00,2021-10-18T11:00:00+08:00\n");
        return store;
    }

    [Fact]
    public async Task EighthEdition_TwoDaysBeforeOnset()
    {
        await using var store = await OutbreakAsync();
        var rows = await BatchContractTests.RunContractAsync(store, "cn-v8-2021", "2021-10-20T12:00:00+08:00");
        Assert.Equal(
        [
            new("B", "close", "A", "", "v1", "2021-10-15T00:00:00+08:00", "2021-10-15T00:20:00+08:00"),    // clipped at the window's start
            new("C", "close", "A", "", "v2", "2021-10-16T12:15:00+08:00", "2021-10-16T12:30:00+08:00"),    // exactly 15 minutes
            new("F", "close", "A", "", "", "2021-10-15T00:00:00+08:00", "2021-10-15T08:00:00+08:00"),      // household, clipped
            new("D", "secondary", "A", "B", "v1", "2021-10-19T10:30:00+08:00", "2021-10-19T11:00:00+08:00"), // 14:59 with A and with C: neither close nor secondary there
            new("G", "secondary", "A", "C", "v3", "2021-10-17T18:30:00+08:00", "2021-10-17T19:00:00+08:00"),
        ], rows);   // E: 10 minutes before isolation; H: with C before C's exposure
    }

    [Fact]
    public async Task GeneralContacts_AreTheShorterCoPresence_AndStayOutOfTheContractFile()
    {
        await using var store = await OutbreakAsync();
        await BatchContractTests.RunContractAsync(store, "cn-v8-2021", "2021-10-20T12:00:00+08:00");
        await using var db = await store.OpenAsync();
        var asOf = DateTimeOffset.Parse("2021-10-20T12:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds();
        var outcome = await Fangkong.Storage.Tracing.TraceRunner.RunAsync(db, Fangkong.Policies.PolicyCatalog.Load().Get("cn-v8-2021"), asOf, store: false);
        // E: 10:50–11:00 with A before A's isolation; D (14:59 with A) is secondary, the higher tier.
        var general = Assert.Single(outcome.Findings, f => f.Tier == Fangkong.Tracing.ContactTier.General);
        Assert.Equal(("E", "v2", "2021-10-18T10:50:00+08:00", "2021-10-18T11:00:00+08:00"),
            (outcome.Data.PersonKeys[general.Person], outcome.Data.VenueKeys[general.Venue!.Value], db.Calendar.Format(general.Start), db.Calendar.Format(general.End)));
    }

    [Fact]
    public async Task NinthEdition_FourDaysBeforeOnset()
    {
        await using var store = await OutbreakAsync();
        var rows = await BatchContractTests.RunContractAsync(store, "cn-v9-2022", "2021-10-20T12:00:00+08:00");
        Assert.Equal(new BatchContractTests.Row("B", "close", "A", "", "v1", "2021-10-14T23:50:00+08:00", "2021-10-15T00:20:00+08:00"), rows[0]);
        Assert.Equal(new BatchContractTests.Row("F", "close", "A", "", "", "2021-10-13T00:00:00+08:00", "2021-10-15T08:00:00+08:00"), rows[2]);
        Assert.Equal(["B", "C", "F", "D", "G"], rows.Select(r => r.Person));
    }

    [Fact]
    public async Task CloseContactTurningPositive_MakesItsSecondaryContactsClose()
    {
        await using var store = await OutbreakAsync();
        // C (A's close contact) is confirmed with onset 2021-10-18: G, C's secondary contact, becomes C's close contact.
        await store.WriteAsync("cases.csv", """
            person_id,classification,onset_date,sampling_time,report_time,isolation_time
            A,confirmed,2021-10-17,2021-10-18T07:00:00+08:00,2021-10-18T09:00:00+08:00,2021-10-18T11:00:00+08:00
            C,confirmed,2021-10-18,2021-10-19T07:00:00+08:00,2021-10-19T09:00:00+08:00,2021-10-19T10:00:00+08:00
            """);
        var rows = await BatchContractTests.RunContractAsync(store, "cn-v8-2021", "2021-10-20T12:00:00+08:00");
        Assert.DoesNotContain(rows, r => r.Person == "C");   // a case is never a contact
        Assert.Equal(new BatchContractTests.Row("G", "close", "C", "", "v3", "2021-10-17T18:30:00+08:00", "2021-10-17T19:00:00+08:00"), rows.Single(r => r.Person == "G"));
        // H was with C on 2021-10-16 08:00–09:00, inside C's window (from 2021-10-16 00:00): close too.
        Assert.Equal("close", rows.Single(r => r.Person == "H").Tier);
    }

    [Fact]
    public async Task LateCheckins_AreFoundByTheNextTrace()
    {
        await using var store = await OutbreakAsync();
        var before = await BatchContractTests.RunContractAsync(store, "cn-v8-2021", "2021-10-20T12:00:00+08:00");
        Assert.DoesNotContain(before, r => r.Person == "H");
        // Uploaded after the first trace: H was at the cinema with A on 2021-10-16.
        await store.WriteAsync("late.csv", "person_id,venue_id,check_in,check_out\nH,v1,2021-10-16T19:00:00+08:00,2021-10-16T20:00:00+08:00\nA,v1,2021-10-16T19:10:00+08:00,2021-10-16T19:40:00+08:00\n");
        Assert.Equal(0, (await Support.Cli.RunAsync("--db", store.DbArgument, "import", "checkins", store.File("late.csv"))).Code);
        Assert.Equal(0, (await Support.Cli.RunAsync("--db", store.DbArgument, "trace", "--as-of", "2021-10-20T12:00:00+08:00", "--out", store.File("again.csv"))).Code);
        Assert.Contains("H,close,A,,v1,2021-10-16T19:10:00+08:00,2021-10-16T19:40:00+08:00", await File.ReadAllLinesAsync(store.File("again.csv")));
    }

    [Fact]
    public async Task AsOfBeforeTheSecondaryExposure_FindsNoSecondaryThere()
    {
        await using var store = await OutbreakAsync();
        var rows = await BatchContractTests.RunContractAsync(store, "cn-v8-2021", "2021-10-19T10:40:00+08:00");
        // q = as-of: B's stay with D is cut at 10:40, leaving 10 minutes.
        Assert.Equal(["B", "C", "F", "G"], rows.Select(r => r.Person));
    }

    [Fact]
    public async Task AControlledCloseContact_IsTracedForSecondaryContactsOnlyUntilTheirControlStarted()
    {
        await using var store = await OutbreakAsync();
        var rows = await BatchContractTests.RunContractAsync(store, "cn-v8-2021", "2021-10-20T12:00:00+08:00");
        Assert.Contains(rows, r => r.Person == "D");   // B had no order yet: q was the as-of time
        // B's order (made by that trace) records B under control from 2021-10-19 10:40 (q, rule 3): B's stay with D is cut to 10 minutes.
        await using (var db = await store.OpenAsync())
        await using (var c = await db.OpenConnectionAsync())
        {
            var b = (await Fangkong.Storage.People.PersonRepository.FindAsync(db, "B"))!.Id;
            var at = DateTimeOffset.Parse("2021-10-19T10:40:00+08:00", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds();
            Assert.Equal(1, await Dapper.SqlMapper.ExecuteAsync(c, "UPDATE control_orders SET status = 'under_control', controlled_at = @at WHERE person_id = @b AND active = 1", new { at, b }));
        }
        Assert.Equal(0, (await Support.Cli.RunAsync("--db", store.DbArgument, "trace", "--as-of", "2021-10-20T12:00:00+08:00", "--out", store.File("again.csv"))).Code);
        var again = (await File.ReadAllLinesAsync(store.File("again.csv"))).Skip(1).Select(l => l.Split(',')[0]).ToList();
        Assert.Equal(["B", "C", "F", "G"], again);

        // Released a week later, B's control time is still 10:40 on 10-19: a trace weeks on finds D no more.
        await using (var db = await store.OpenAsync())
        await using (var c = await db.OpenConnectionAsync())
        {
            var closed = DateTimeOffset.Parse("2021-10-26T10:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds();
            Assert.Equal(1, await Dapper.SqlMapper.ExecuteAsync(c, "UPDATE control_orders SET status = 'released', active = 0, closed_at = @closed WHERE person_id = (SELECT id FROM persons WHERE person_key = 'B') AND active = 1", new { closed }));
        }
        Assert.Equal(0, (await Support.Cli.RunAsync("--db", store.DbArgument, "trace", "--as-of", "2021-11-20T12:00:00+08:00", "--out", store.File("later.csv"))).Code);
        Assert.Equal(["B", "C", "F", "G"], (await File.ReadAllLinesAsync(store.File("later.csv"))).Skip(1).Select(l => l.Split(',')[0]).ToList());
    }
}
