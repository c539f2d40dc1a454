using Fangkong.Storage;
using Fangkong.Tests.Support;
using Fangkong.Tracing;

namespace Fangkong.Tests.Tracing;

/// <summary>
/// The policy table for transport, worked by hand (cn-v8-2021): on a flight the same row and 3 rows
/// either side; on a train the same car; on a sealed coach everyone. Other passengers of the same
/// trip are general contacts. Case A: onset 2021-10-17, window from 2021-10-15 00:00.
/// </summary>
[Collection(nameof(Cli.ConsoleCollection))]
public sealed class TransportTests
{
    [Fact]
    public async Task SeatsCarsAndCoaches_FollowThePolicyTable()
    {
        await using var store = await TestStore.CreateAsync(StoreProvider.Sqlite);
        await store.WriteAsync("persons.csv", "person_id\nA\nP9\nP15\nP16\nT5\nT6\nC1\nX\n");
        await store.WriteAsync("venues.csv", "venue_id,type\nv1,cinema\n");
        await store.WriteAsync("checkins.csv", "person_id,venue_id,check_in,check_out\n");
        await store.WriteAsync("exposures.csv", "person_id,other_person_id,setting,start,end\n");
        await store.WriteAsync("cases.csv", "person_id,classification,onset_date,sampling_time,report_time,isolation_time\nA,confirmed,2021-10-17,,2021-10-18T09:00:00+08:00,2021-10-18T11:00:00+08:00\n");
        await store.WriteAsync("transport.csv", """
            person_id,mode,number,departure,arrival,car,row,seat
            A,flight,CA1234,2021-10-16T08:00:00+08:00,2021-10-16T10:00:00+08:00,,12,12C
            P9,flight,ca1234,2021-10-16T08:00:00+08:00,2021-10-16T10:00:00+08:00,,9,9A
            P15,flight,CA1234,2021-10-16T08:00:00+08:00,2021-10-16T10:00:00+08:00,,15,15F
            P16,flight,CA1234,2021-10-16T08:00:00+08:00,2021-10-16T10:00:00+08:00,,16,16A
            X,flight,CA1234,2021-10-13T08:00:00+08:00,2021-10-13T10:00:00+08:00,,12,12D
            A,train,G1,2021-10-14T22:00:00+08:00,2021-10-15T06:00:00+08:00,05,,
            T5,train,G1,2021-10-14T22:00:00+08:00,2021-10-15T06:00:00+08:00,05,,
            T6,train,G1,2021-10-14T22:00:00+08:00,2021-10-15T06:00:00+08:00,06,,
            A,coach,宁A12345,2021-10-17T14:00:00+08:00,2021-10-17T16:00:00+08:00,,,
            C1,coach,宁A12345,2021-10-17T14:00:00+08:00,2021-10-17T16:00:00+08:00,,,
            """);
        Assert.Equal(0, (await Support.Cli.RunAsync("--db", store.DbArgument, "import", "persons", store.File("persons.csv"))).Code);
        var imported = await Support.Cli.RunAsync("--db", store.DbArgument, "import", "transport", store.File("transport.csv"));
        Assert.True(imported.Code == 0, imported.Err);
        var rows = await BatchContractTests.RunContractAsync(store, "cn-v8-2021", "2021-10-20T12:00:00+08:00");
        Assert.Equal(
        [
            new("C1", "close", "A", "", "", "2021-10-17T14:00:00+08:00", "2021-10-17T16:00:00+08:00"),
            new("P15", "close", "A", "", "", "2021-10-16T08:00:00+08:00", "2021-10-16T10:00:00+08:00"),   // 3 rows behind
            new("P9", "close", "A", "", "", "2021-10-16T08:00:00+08:00", "2021-10-16T10:00:00+08:00"),    // 3 rows ahead
            new("T5", "close", "A", "", "", "2021-10-15T00:00:00+08:00", "2021-10-15T06:00:00+08:00"),    // same car, clipped to the window
            new("P16", "secondary", "A", "P15", "", "2021-10-16T08:00:00+08:00", "2021-10-16T10:00:00+08:00"), // 4 rows from A, 1 from P15
        ], rows);   // X flew on another day, before the window; T6 sat in another car

        await using var db = await store.OpenAsync();
        var asOf = DateTimeOffset.Parse("2021-10-20T12:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds();
        var outcome = await Fangkong.Storage.Tracing.TraceRunner.RunAsync(db, Fangkong.Policies.PolicyCatalog.Load().Get("cn-v8-2021"), asOf, store: true);
        var general = outcome.Findings.Where(f => f.Tier == ContactTier.General).ToDictionary(f => outcome.Data.PersonKeys[f.Person], f => f.Transport);
        Assert.Equal(new Dictionary<string, string?> { ["T6"] = "train G1 car 06" }, general);   // P16 is secondary, the higher tier
        var stored = await Fangkong.Storage.Contacts.ContactRepository.LoadAsync(db);
        Assert.Equal("coach 宁A12345", stored.Single(c => outcome.Data.PersonKeys[c.Finding.Person] == "C1").Finding.Transport);
    }

    [Fact]
    public async Task BadJourneys_AreRefused_WithTheReason()
    {
        await using var store = await TestStore.CreateAsync(StoreProvider.Sqlite);
        await store.WriteAsync("persons.csv", "person_id\nA\n");
        await Support.Cli.RunAsync("--db", store.DbArgument, "import", "persons", store.File("persons.csv"));
        await store.WriteAsync("transport.csv", """
            person_id,mode,number,departure,arrival,row
            A,boat,X1,2021-10-16T08:00:00+08:00,2021-10-16T10:00:00+08:00,
            A,flight,CA1,2021-10-16T10:00:00+08:00,2021-10-16T08:00:00+08:00,
            A,flight,CA1,2021-10-16T08:00:00+08:00,2021-10-16T10:00:00+08:00,12A
            """);
        var (code, _, err) = await Support.Cli.RunAsync("--db", store.DbArgument, "import", "transport", store.File("transport.csv"));
        Assert.Equal(1, code);
        Assert.Contains("line 2, column mode: 'boat' is not one of flight, train, coach", err, StringComparison.Ordinal);
        Assert.Contains("line 3, column arrival: is before departure", err, StringComparison.Ordinal);
        Assert.Contains("line 4, column row: '12A' is not a whole number", err, StringComparison.Ordinal);
    }
}
