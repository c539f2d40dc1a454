using Dapper;
using Fangkong.Storage;
using Fangkong.Storage.Testing;
using Fangkong.Tests.Support;

namespace Fangkong.Tests.Testing;

/// <summary>
/// <c>import results</c> on both stores: a positive pooled tube holds its members in place (pool_positive) in
/// the import's own transaction, asks each one's community for an individual re-sample and the testing group
/// for the recall; a positive single tube makes a suspected case that is traced; an inconclusive single tube
/// asks for a re-sample; a negative individual re-test lifts the temporary order. Bad rows by line and column;
/// the same file again changes nothing.
/// </summary>
public sealed class ResultImportTests
{
    private const string Now = "2021-10-23T16:00:00+08:00";
    private const string Sampled = "2021-10-23T08:00:00+08:00";
    private const string Tested = "2021-10-23T14:00:00+08:00";

    private static async Task<(int Code, string Said)> RunAsync(TestStore store, params string[] args)
    {
        // A step later in the day names its own time first.
        var (code, output, error) = await Support.Cli.RunAsync(args[0] == "--now" ? ["--db", store.DbArgument, .. args] : ["--db", store.DbArgument, "--now", Now, .. args]);
        return (code, output + error);
    }

    private static async Task<string> OkAsync(TestStore store, params string[] args)
    {
        var (code, said) = await RunAsync(store, args);
        Assert.True(code == 0, said);
        return said;
    }

    /// <summary>P001–P025 in one county; tubes: T-POOL (P001–P010, positive), T-NEG (P011–P015), T-ONE (P016 alone), T-INC (P017 alone).</summary>
    private static async Task<TestStore> SampledAsync(StoreProvider provider)
    {
        var store = await TestStore.CreateAsync(provider);
        await store.WriteAsync("persons.csv", "person_id,name,community_code,address\n" + string.Join("\n", Enumerable.Range(1, 25).Select(i => $"P{i:000},人{i},640104,某路{i}号")) + "\n");
        await OkAsync(store, "import", "persons", store.File("persons.csv"));
        var rows = Enumerable.Range(1, 10).Select(i => ("T-POOL", i)).Concat(Enumerable.Range(11, 5).Select(i => ("T-NEG", i))).Append(("T-ONE", 16)).Append(("T-INC", 17));
        await store.WriteAsync("samples.csv", "tube_id,person_id,sampled_at\n" + string.Join("\n", rows.Select(r => $"{r.Item1},P{r.Item2:000},{Sampled}")) + "\n");
        await OkAsync(store, "import", "samples", store.File("samples.csv"));
        return store;
    }

    private static async Task<Dictionary<string, (string Group, string Measure)>> OrdersAsync(TestStore store)
    {
        await OkAsync(store, "export", "orders", store.File("orders.csv"));
        return (await File.ReadAllLinesAsync(store.File("orders.csv"))).Skip(1).Select(l => l.Split(',')).ToDictionary(f => f[0], f => (f[1], f[2]));
    }

    private static async Task<List<(string Kind, string Person, string Status, string Owner)>> TasksAsync(Database db) =>
        [.. await (await db.OpenConnectionAsync()).QueryAsync<(string, string, string, string)>(
            "SELECT t.kind, COALESCE(p.person_key, ''), t.status, t.owner_jurisdiction FROM tasks t LEFT JOIN persons p ON p.id = t.person_id WHERE t.kind IN ('resample', 'recall') ORDER BY t.kind, p.person_key")];

    [Theory]
    [MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task APositivePool_HoldsAndRecallsItsMembers_ASinglePositiveIsASuspectedCase_ANegativeRetestLifts(StoreProvider provider)
    {
        await using var store = await SampledAsync(provider);
        // P003 is already under an order (an arrival): one person, one order — they keep theirs, and are re-sampled too.
        await OkAsync(store, "control", "arrival", "P003", "--from", "medium", "--left", "2021-10-20");
        await store.WriteAsync("results.csv", $"tube_id,result,tested_at,lab_id\nT-POOL,positive,{Tested},LAB-1\nT-NEG,negative,{Tested},LAB-1\nT-ONE,positive,{Tested},LAB-2\nT-INC,inconclusive,{Tested},LAB-2\n");
        var said = await OkAsync(store, "import", "results", store.File("results.csv"));
        Assert.Contains("recall: 1 positive or inconclusive pooled tube(s); 10 person(s) newly held", said, StringComparison.Ordinal);
        Assert.Contains("1 suspected case(s) recorded and traced", said, StringComparison.Ordinal);

        var orders = await OrdersAsync(store);
        var held = Enumerable.Range(1, 10).Where(i => i != 3).Select(i => $"P{i:000}").Append("P016").ToList();
        Assert.Equal(held.Append("P003").Order(StringComparer.Ordinal), orders.Keys.Order(StringComparer.Ordinal));
        Assert.All(held, p => Assert.Equal(("pool_positive", "home_quarantine"), orders[p]));
        Assert.Equal("arrival_medium_risk", orders["P003"].Group);

        await using (var db = await store.OpenAsync())
        {
            var tasks = await TasksAsync(db);
            Assert.Equal([("recall", "", "open", "640104")], tasks.Where(t => t.Kind == "recall"));
            // Every member of the pool and the inconclusive single tube's person, owned by their community; not the suspected case (held, and traced).
            Assert.Equal(Enumerable.Range(1, 10).Append(17).Select(i => $"P{i:000}"), tasks.Where(t => t.Kind == "resample").Select(t => t.Person));
            Assert.All(tasks, t => Assert.Equal("open", t.Status));
            var suspected = await (await db.OpenConnectionAsync()).QuerySingleAsync<(string Classification, long Sampling)>(
                "SELECT k.classification, k.sampling_time FROM cases k JOIN persons p ON p.id = k.person_id WHERE p.person_key = 'P016'");
            Assert.Equal("suspected", suspected.Classification);
            Assert.Equal(Sampled, db.Calendar.Format(suspected.Sampling));
        }

        // The results export in the import's own format; the same file again changes nothing.
        await OkAsync(store, "export", "results", store.File("results.out.csv"));
        Assert.Equal(await File.ReadAllLinesAsync(store.File("results.csv")), await File.ReadAllLinesAsync(store.File("results.out.csv")));
        said = await OkAsync(store, "import", "results", store.File("results.csv"));
        Assert.Contains("0 stored as new or changed", said, StringComparison.Ordinal);
        Assert.Equal(11, (await OrdersAsync(store)).Count);

        // The community re-samples the pool's people one to a tube: their tasks are done; P010's re-test is positive.
        const string Later = "2021-10-23T18:00:00+08:00";
        await store.WriteAsync("resample.csv", "tube_id,person_id,sampled_at\n" + string.Join("\n", Enumerable.Range(1, 10).Select(i => $"R-{i:000},P{i:000},{Later}")) + "\n");
        await OkAsync(store, "--now", "2021-10-23T18:30:00+08:00", "import", "samples", store.File("resample.csv"));
        await using (var db = await store.OpenAsync())
        {
            var resample = (await TasksAsync(db)).Where(t => t.Kind == "resample").ToDictionary(t => t.Person, t => t.Status);
            Assert.All(Enumerable.Range(1, 10), i => Assert.Equal("done", resample[$"P{i:000}"]));
            Assert.Equal("open", resample["P017"]);
        }
        await store.WriteAsync("retest.csv", "tube_id,result,tested_at\n" + string.Join("\n", Enumerable.Range(1, 10).Select(i => $"R-{i:000},{(i == 10 ? "positive" : "negative")},2021-10-23T22:00:00+08:00")) + "\n");
        said = await OkAsync(store, "--now", "2021-10-23T22:10:00+08:00", "import", "results", store.File("retest.csv"));
        Assert.Contains("8 temporary order(s) lifted", said, StringComparison.Ordinal);
        orders = await OrdersAsync(store);
        // Lifted: P001, P002, P004–P009. P003 keeps the arrival's order; P010 is a suspected case now, still held; P016 too.
        Assert.Equal(["P003", "P010", "P016"], orders.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(("pool_positive", "pool_positive"), (orders["P010"].Group, orders["P016"].Group));
        await using (var db = await store.OpenAsync())
        {
            var c = await db.OpenConnectionAsync();
            Assert.Equal(["P010", "P016"], await c.QueryAsync<string>(
                "SELECT p.person_key FROM cases k JOIN persons p ON p.id = k.person_id WHERE k.classification = 'suspected' ORDER BY p.person_key"));
            var released = (await c.QueryAsync<string>(
                "SELECT p.person_key FROM control_orders o JOIN persons p ON p.id = o.person_id WHERE o.status = 'released' ORDER BY p.person_key")).ToList();
            Assert.Equal(Enumerable.Range(1, 9).Where(i => i != 3).Select(i => $"P{i:000}"), released);
            // The loop's history says why: the individual re-test and the tube before it.
            var why = await c.QuerySingleAsync<string>(
                "SELECT e.detail FROM control_events e JOIN control_orders o ON o.id = e.order_id JOIN persons p ON p.id = o.person_id WHERE p.person_key = 'P001' AND e.to_status = 'released'");
            Assert.Equal(["R-001", "T-POOL"], Fangkong.Text.LoopLog.Read(why).Args);
        }
    }

    [Theory]
    [MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task BadResults_AreRefusedByLineAndColumn_AndChangeNothing(StoreProvider provider)
    {
        await using var store = await SampledAsync(provider);
        await store.WriteAsync("first.csv", $"tube_id,result,tested_at\nT-NEG,negative,{Tested}\n");
        await OkAsync(store, "import", "results", store.File("first.csv"));
        await store.WriteAsync("bad.csv", string.Join("\n",
            "tube_id,result,tested_at,lab_id",
            $"T-NOPE,positive,{Tested},LAB-1",              // line 2: unknown tube
            "T-POOL,positive,2021-10-23T07:59:00+08:00,LAB-1",  // line 3: before sampling
            $"T-ONE,positive,{Tested},LAB-1",               // line 4: fine
            $"T-ONE,negative,{Tested},LAB-1",               // line 5: a second, different result in the file
            $"T-NEG,positive,{Tested},LAB-1",               // line 6: a different result from the store's
            $"T-INC,weak,{Tested},LAB-1",                   // line 7: not a result
            $"T-NEG,negative,{Tested},LAB-1") + "\n");      // line 8: the same result again: fine, changes nothing
        var (code, said) = await RunAsync(store, "import", "results", store.File("bad.csv"));
        Assert.NotEqual(0, code);
        Assert.Contains("line 2, column tube_id: no sample was stored for tube 'T-NOPE'", said, StringComparison.Ordinal);
        Assert.Contains("line 3, column tested_at: is before tube T-POOL was sampled (2021-10-23T08:00:00+08:00)", said, StringComparison.Ordinal);
        Assert.Contains("line 5, column result: tube T-ONE has the result positive on line 4", said, StringComparison.Ordinal);
        Assert.Contains("line 6, column result: tube T-NEG already has the result negative in the store", said, StringComparison.Ordinal);
        Assert.Contains("line 7, column result: 'weak' is not a result", said, StringComparison.Ordinal);
        Assert.DoesNotContain("line 4,", said, StringComparison.Ordinal);
        Assert.DoesNotContain("line 8,", said, StringComparison.Ordinal);
        Assert.Contains("5 bad row(s)", said, StringComparison.Ordinal);
        Assert.Empty(await OrdersAsync(store));
        await using (var db = await store.OpenAsync())
        {
            var tubes = await TubeRepository.LoadForResultsAsync(db);
            Assert.Null(tubes["T-ONE"].Result);   // all or nothing
            Assert.Equal("negative", tubes["T-NEG"].Result);
        }
        // Skipping the bad rows stores the good one, with its effects.
        (code, said) = await RunAsync(store, "import", "results", store.File("bad.csv"), "--skip-bad");
        Assert.True(code == 0, said);
        Assert.Equal(("pool_positive", "home_quarantine"), (await OrdersAsync(store))["P016"]);
    }
}
