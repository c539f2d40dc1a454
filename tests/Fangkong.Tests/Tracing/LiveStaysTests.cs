using Fangkong.Application.Tracing;
using Fangkong.Policies;
using Fangkong.Storage.Checkins;
using Fangkong.Storage.Tracing;
using Fangkong.Storage;
using Fangkong.Tests.Support;
using Fangkong.Tracing;
using Microsoft.Extensions.DependencyInjection;

namespace Fangkong.Tests.Tracing;

/// <summary>
/// The server's tracing index in memory (<see cref="LiveStays"/>) against the store it stands for: after
/// appends of this process (announced, appended in memory), of another writer (not announced: read
/// again), and for one case traced alone; and the re-traces the server runs behind its answers.
/// </summary>
[Collection(nameof(Tests.Cli.ConsoleCollection))]
public sealed class LiveStaysTests
{
    private static readonly PolicyProfile Policy = PolicyCatalog.Load().Get("cn-v8-2021");

    private static HashSet<(int, ContactTier, int, long, long)> Answer(IEnumerable<ContactFinding> findings) =>
        [.. findings.Select(f => (f.Person, f.Tier, f.IndexPerson, f.Start, f.End))];

    private static async Task<TestStore> DemoAsync(StoreProvider provider)
    {
        var store = await TestStore.CreateAsync(provider);
        await Control.ControlWorkflowTests.Ok(store, "demo", "--people", "3000", "--no-serve", "--simulate-days", "0");
        return store;
    }

    /// <summary>New check-ins at the same venue and time as a case's stays, by people who were not there.</summary>
    private static List<CheckinRow> Beside(CheckinIndex index, IReadOnlyList<TraceCase> cases, int people, int count, int seed)
    {
        var rng = new Random(seed);
        var stays = cases.SelectMany(c => index.StaysOf(c.Person).Where(s => s.End > c.Window.Start && s.Start < c.Window.End)).ToList();
        var caseIds = cases.Select(c => c.Person).ToHashSet();
        return [.. Enumerable.Range(0, count).Select(_ => stays[rng.Next(stays.Count)])
            .Select(s => new CheckinRow(rng.Next(1, people + 1), s.Venue, s.Start, s.End)).Where(r => !caseIds.Contains(r.Person))];
    }

    [Theory]
    [MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task TheIndexInMemory_AnswersAsTheStore_ThroughAppendsHereAndElsewhere(StoreProvider provider)
    {
        await using var store = await DemoAsync(provider);
        await using var db = await store.OpenAsync();
        using var live = new LiveStays(db);
        var asOf = db.Now;
        var before = await TraceRunner.RunAsync(db, Policy, asOf, store: false);
        Assert.Equal(Answer(before.Findings), Answer((await TraceRunner.RunAsync(db, Policy, asOf, store: false, live)).Findings));
        Assert.Equal(1, live.Reads(StayKind.Checkins));

        // Appended here: announced, appended in memory; a row already stored is not held twice.
        var store1 = await CheckinStores.OpenAsync(db);
        var rows = Beside(before.Data.Index, before.Data.Cases, 3000, 40, 1);
        var day = await store1.ReadDayAsync((await store1.ListDaysAsync())[^1].Day);
        var stored = new CheckinRow(day.Person[0], day.Venue[0], day.CheckIn(0), day.CheckOut(0));
        var fresh = rows.Distinct().Count();
        var added = await store1.AppendAsync([.. rows, stored]);
        var held = live.Count(StayKind.Checkins);
        var after = await TraceRunner.RunAsync(db, Policy, asOf, store: false);
        var fromMemory = await TraceRunner.RunAsync(db, Policy, asOf, store: false, live);
        Assert.Equal(Answer(after.Findings), Answer(fromMemory.Findings));
        Assert.NotEqual(Answer(before.Findings), Answer(after.Findings));
        Assert.Equal(1, live.Reads(StayKind.Checkins));
        Assert.Equal(fresh, added);
        Assert.Equal((await store1.ListDaysAsync()).Sum(d => d.Rows), held);

        // Appended by another writer (as another process would): not announced here, so the days are read again.
        await using (var other = await store.OpenAsync())
        {
            await (await CheckinStores.OpenAsync(other)).AppendAsync(Beside(after.Data.Index, after.Data.Cases, 3000, 40, 2));
        }
        var third = await TraceRunner.RunAsync(db, Policy, asOf, store: false);
        Assert.Equal(Answer(third.Findings), Answer((await TraceRunner.RunAsync(db, Policy, asOf, store: false, live)).Findings));
        Assert.Equal(2, live.Reads(StayKind.Checkins));
        Assert.Equal((await store1.ListDaysAsync()).Sum(d => d.Rows), live.Count(StayKind.Checkins));
    }

    [Theory]
    [MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task EachCaseTracedAlone_TogetherFindTheFullTracesCloseContacts(StoreProvider provider)
    {
        await using var store = await DemoAsync(provider);
        await using var db = await store.OpenAsync();
        using var live = new LiveStays(db);
        var asOf = db.Now;
        var full = await TraceRunner.RunAsync(db, Policy, asOf, store: false);
        var union = new HashSet<int>();
        foreach (var c in full.Data.Cases)
        {
            var alone = await TraceData.TraceOneCaseAsync(db, Policy, asOf, live, c.Person);
            Assert.All(alone, f => Assert.Equal(c.Person, f.IndexPerson));
            // Whoever the full trace gives to this case as a close contact, it found tracing the case alone.
            var mine = full.Findings.Where(f => f.Tier == ContactTier.Close && f.IndexPerson == c.Person).Select(f => f.Person).ToHashSet();
            var closeAlone = alone.Where(f => f.Tier == ContactTier.Close).Select(f => f.Person).ToHashSet();
            Assert.Subset(closeAlone, mine);
            union.UnionWith(closeAlone);
        }
        Assert.Equal(full.Findings.Where(f => f.Tier == ContactTier.Close).Select(f => f.Person).ToHashSet(), union);
        Assert.NotEmpty(union);
    }

    [Fact]
    public async Task AReTraceAskedFor_IsDoneBehind_EvenAfterARestart()
    {
        await using var store = await DemoAsync(StoreProvider.Sqlite);
        await using (var db = await store.OpenAsync())
        {
            await TraceRequests.RequestAsync(db);
            Assert.True((await TraceRequests.StateAsync(db)).Pending);
            await using (var c = await db.OpenConnectionAsync())
            {
                await Dapper.SqlMapper.ExecuteAsync(c, "DELETE FROM contacts");
            }
        }
        // "Restarted": a new process's services find the request pending and trace.
        await using (var db = await store.OpenAsync())
        {
            var services = new ServiceCollection().AddSingleton<LiveStays>().AddSingleton<TraceBehind>();
            global::Fangkong.Application.ApplicationServices.AddFangkong(services, db, PolicyCatalog.Load());
            await using var app = services.BuildServiceProvider();
            var behind = app.GetRequiredService<TraceBehind>();
            Assert.True(app.GetRequiredService<CaseTracing>().Behind);
            using var stop = new CancellationTokenSource();
            var worker = behind.RunAsync(stop.Token);
            for (var watch = System.Diagnostics.Stopwatch.StartNew(); (await TraceRequests.StateAsync(db)).Pending; await Task.Delay(20))
            {
                Assert.True(watch.Elapsed < TimeSpan.FromMinutes(1));
            }
            var expected = (await TraceRunner.RunAsync(db, Policy, db.Now, store: false)).Findings.Count;
            await using (var c = await db.OpenConnectionAsync())
            {
                Assert.Equal(expected, await Dapper.SqlMapper.ExecuteScalarAsync<long>(c, "SELECT COUNT(*) FROM contacts"));
            }
            // A second request while idle is traced too.
            var second = await behind.RequestAsync(global::Fangkong.Application.Actor.System("test"), null);
            for (var watch = System.Diagnostics.Stopwatch.StartNew(); (await TraceRequests.StateAsync(db)).Completed < second; await Task.Delay(20))
            {
                Assert.True(watch.Elapsed < TimeSpan.FromMinutes(1));
            }
            await stop.CancelAsync();
            await worker;
        }
    }
}
