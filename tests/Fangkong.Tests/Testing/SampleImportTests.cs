using Fangkong.Storage;
using Fangkong.Storage.Testing;
using Fangkong.Tests.Support;

namespace Fangkong.Tests.Testing;

/// <summary>
/// <c>import samples</c>: rows sharing a tube_id are one pool, on both stores; bad rows by line and column
/// (a tube over the profile's largest pool, one person twice in a tube, one tube at two times), all or
/// nothing unless skipped, and the same file again changes nothing.
/// </summary>
public sealed class SampleImportTests
{
    private static async Task<TestStore> PeopleAsync(StoreProvider provider, int count)
    {
        var store = await TestStore.CreateAsync(provider);
        await store.WriteAsync("persons.csv", "person_id,name,community_code\n" + string.Join("\n", Enumerable.Range(1, count).Select(i => $"P{i:000},人{i},640104")) + "\n");
        var (code, _, error) = await Support.Cli.RunAsync("--db", store.DbArgument, "import", "persons", store.File("persons.csv"));
        Assert.True(code == 0, error);
        return store;
    }

    private static string Rows(params (string Tube, int Person, string At)[] rows) =>
        "tube_id,person_id,sampled_at,site_id\n" + string.Join("\n", rows.Select(r => $"{r.Tube},P{r.Person:000},{r.At},S-1")) + "\n";

    private const string T0 = "2021-10-23T08:00:00+08:00";
    private const string T1 = "2021-10-23T08:05:00+08:00";

    [Theory]
    [MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task RowsSharingATube_AreOnePool_AndTheSameFileAgainChangesNothing(StoreProvider provider)
    {
        await using var store = await PeopleAsync(provider, 25);
        await store.WriteAsync("samples.csv", Rows([.. Enumerable.Range(1, 10).Select(i => ("T-A", i, T0)), ("T-B", 11, T1), ("T-C", 12, T1), ("T-C", 13, T1)]));
        var (code, output, error) = await Support.Cli.RunAsync("--db", store.DbArgument, "import", "samples", store.File("samples.csv"));
        Assert.True(code == 0, error);
        await using (var db = await store.OpenAsync())
        {
            var tubes = await TubeRepository.LoadAllAsync(db);
            Assert.Equal(["T-A", "T-B", "T-C"], tubes.Keys.Order(StringComparer.Ordinal));
            Assert.Equal(10, tubes["T-A"].Members.Count);
            Assert.Equal(2, tubes["T-C"].Members.Count);
            Assert.Equal("S-1", tubes["T-B"].Site);
            Assert.Equal(T1, db.Calendar.Format(tubes["T-B"].SampledAt));
        }
        // Again: nothing changes; and the tubes export in the import's own format.
        (code, output, error) = await Support.Cli.RunAsync("--db", store.DbArgument, "import", "samples", store.File("samples.csv"));
        Assert.True(code == 0, error);
        (code, _, error) = await Support.Cli.RunAsync("--db", store.DbArgument, "export", "samples", store.File("out.csv"));
        Assert.True(code == 0, error);
        var exported = await File.ReadAllLinesAsync(store.File("out.csv"));
        Assert.Equal("tube_id,person_id,sampled_at,site_id,round_id", exported[0]);
        Assert.Equal(13, exported.Length - 1);
        // A later file may add people to a stored tube at its own time, up to the largest pool.
        await store.WriteAsync("more.csv", Rows(("T-C", 14, T1), ("T-C", 12, T1)));
        (code, _, error) = await Support.Cli.RunAsync("--db", store.DbArgument, "import", "samples", store.File("more.csv"));
        Assert.True(code == 0, error);
        await using (var db = await store.OpenAsync())
        {
            Assert.Equal(3, (await TubeRepository.LoadAllAsync(db))["T-C"].Members.Count);
        }
    }

    [Theory]
    [MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task BadSamples_AreRefusedByLineAndColumn_OrSkipped(StoreProvider provider)
    {
        await using var store = await PeopleAsync(provider, 25);
        await store.WriteAsync("stored.csv", Rows(("T-S", 20, T0)));
        Assert.Equal(0, (await Support.Cli.RunAsync("--db", store.DbArgument, "import", "samples", store.File("stored.csv"))).Code);
        // cn-v8-2021 (the store's default) pools at most 10: the 11th person of T-A is one too many.
        await store.WriteAsync("bad.csv", Rows([.. Enumerable.Range(1, 11).Select(i => ("T-A", i, T0)), ("T-B", 12, T0), ("T-B", 12, T0), ("T-B", 13, T1), ("T-S", 21, T1)]));
        var (code, output, error) = await Support.Cli.RunAsync("--db", store.DbArgument, "import", "samples", store.File("bad.csv"));
        Assert.NotEqual(0, code);
        var said = output + error;
        Assert.Contains("line 12, column tube_id: tube T-A would hold more than 10 people", said, StringComparison.Ordinal);
        Assert.Contains("line 14, column person_id: is already in tube T-B on line 13", said, StringComparison.Ordinal);
        Assert.Contains("line 15, column sampled_at: tube T-B was sampled at 2021-10-23T08:00:00+08:00 on line 13", said, StringComparison.Ordinal);
        Assert.Contains("line 16, column sampled_at: tube T-S was sampled at 2021-10-23T08:00:00+08:00 in the store", said, StringComparison.Ordinal);
        await using (var db = await store.OpenAsync())
        {
            Assert.Equal(["T-S"], (await TubeRepository.LoadAllAsync(db)).Keys);   // all or nothing
        }
        (code, _, error) = await Support.Cli.RunAsync("--db", store.DbArgument, "import", "samples", store.File("bad.csv"), "--skip-bad");
        Assert.True(code == 0, error);
        await using (var db = await store.OpenAsync())
        {
            var tubes = await TubeRepository.LoadAllAsync(db);
            Assert.Equal(10, tubes["T-A"].Members.Count);
            Assert.Single(tubes["T-B"].Members);
            Assert.Single(tubes["T-S"].Members);
        }
        Assert.Equal(5, (await File.ReadAllLinesAsync(store.File("bad.rejects.csv"))).Length);
    }

    [Theory]
    [MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task TestingMissing_ListsTheAreasResidentsWithNoSampleInThePeriod(StoreProvider provider)
    {
        await using var store = await PeopleAsync(provider, 25);
        await store.WriteAsync("others.csv", "person_id,name,community_code\nQ001,外区一,640105\nQ002,外区二,640105\n");
        Assert.Equal(0, (await Support.Cli.RunAsync("--db", store.DbArgument, "import", "persons", store.File("others.csv"))).Code);
        await store.WriteAsync("samples.csv", Rows([.. Enumerable.Range(1, 10).Select(i => ("T-A", i, T0)), ("T-B", 11, T1), ("T-C", 12, T1), ("T-C", 13, T1)]));
        Assert.Equal(0, (await Support.Cli.RunAsync("--db", store.DbArgument, "import", "samples", store.File("samples.csv"))).Code);

        async Task<string[]> MissingAsync(string from, string to)
        {
            var (code, _, error) = await Support.Cli.RunAsync("--db", store.DbArgument, "testing", "missing", "--area", "640104", "--from", from, "--to", to, "--out", store.File("missing.csv"));
            Assert.True(code == 0, error);
            var lines = await File.ReadAllLinesAsync(store.File("missing.csv"));
            Assert.Equal("person_id,community_code", lines[0]);
            Assert.All(lines.Skip(1), l => Assert.EndsWith(",640104", l, StringComparison.Ordinal));
            return [.. lines.Skip(1).Select(l => l.Split(',')[0])];
        }
        // The whole day: everyone of 640104 not in a tube (the other county's people are not listed).
        Assert.Equal(Enumerable.Range(14, 12).Select(i => $"P{i:000}"), await MissingAsync("2021-10-23T00:00:00+08:00", "2021-10-24T00:00:00+08:00"));
        // [08:05, …): the 08:00 tube's people are missing too; the period's end is excluded.
        var later = await MissingAsync(T1, "2021-10-24T00:00:00+08:00");
        Assert.Equal(Enumerable.Range(1, 10).Concat(Enumerable.Range(14, 12)).Select(i => $"P{i:000}"), later);
        Assert.Equal(25, (await MissingAsync("2021-10-23T00:00:00+08:00", T0)).Length);

        var (bad, _, said) = await Support.Cli.RunAsync("--db", store.DbArgument, "testing", "missing", "--area", "640199", "--from", T0, "--to", T1, "--out", store.File("x.csv"));
        Assert.NotEqual(0, bad);
        Assert.Contains("--area", said, StringComparison.Ordinal);
        (bad, _, said) = await Support.Cli.RunAsync("--db", store.DbArgument, "testing", "missing", "--area", "640104", "--from", T1, "--to", T0, "--out", store.File("x.csv"));
        Assert.NotEqual(0, bad);
        Assert.Contains("--to", said, StringComparison.Ordinal);
    }
}
