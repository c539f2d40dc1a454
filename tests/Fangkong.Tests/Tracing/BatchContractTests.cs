using Fangkong.Cli.Commands;
using Fangkong.Storage;
using Fangkong.Tests.Support;
using Fangkong.Time;

namespace Fangkong.Tests.Tracing;

/// <summary>
/// The batch tracing contract (SPEC 4.2) run as other tools run it — import the five files, then
/// <c>trace --policy … --as-of … --out contacts.csv</c> — and checked row by row against
/// <see cref="TracingOracle"/>.
/// </summary>
[Collection(nameof(Cli.ConsoleCollection))]
public sealed class BatchContractTests
{
    private static readonly DeploymentCalendar Calendar = DeploymentCalendar.Default;

    internal sealed record Row(string Person, string Tier, string Index, string Via, string Venue, string Start, string End);

    internal static async Task<List<Row>> RunContractAsync(TestStore store, string policy, string asOf)
    {
        foreach (var kind in new[] { "persons", "venues", "checkins", "exposures", "cases" })
        {
            var code = await CommandLine.RunAsync(["--db", store.DbArgument, "import", kind, store.File(kind + ".csv")]);
            Assert.Equal(0, code);
        }
        var outPath = store.File("contacts.csv");
        Assert.Equal(0, await CommandLine.RunAsync(["--db", store.DbArgument, "trace", "--policy", policy, "--as-of", asOf, "--out", outPath]));
        var lines = await File.ReadAllLinesAsync(outPath);
        Assert.Equal("person_id,tier,index_person_id,via_person_id,venue_id,exposure_start,exposure_end", lines[0]);
        return lines.Skip(1).Select(l => l.Split(',')).Select(f => new Row(f[0], f[1], f[2], f[3], f[4], f[5], f[6])).ToList();
    }

    private static async Task CheckAgainstOracleAsync(StoreProvider provider, int seed, string policy, int daysBefore)
    {
        var data = new RandomOutbreak(seed);
        await using var store = await TestStore.CreateAsync(provider);
        await data.WriteAsync(store);
        var rows = await QuietlyAsync(() => RunContractAsync(store, policy, Calendar.Format(data.AsOf)));
        var expected = TracingOracle.Trace(data.Windows(daysBefore), data.Stays, data.Exposures, 15 * 60, data.AsOf);

        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), rows.Select(r => r.Person).Order(StringComparer.Ordinal));
        Assert.Equal(rows.Count, rows.Select(r => r.Person).Distinct().Count());
        foreach (var row in rows)
        {
            var allowed = expected[row.Person];
            Assert.True(allowed.Any(c => c.Tier == row.Tier && c.Index == row.Index && (c.Via ?? "") == row.Via && (c.Venue ?? "") == row.Venue
                                         && Calendar.Format(c.Start) == row.Start && Calendar.Format(c.End) == row.End),
                $"seed {seed}: {row} is not among the oracle's answers {string.Join(" | ", allowed)}");
        }
    }

    private static async Task<T> QuietlyAsync<T>(Func<Task<T>> run)
    {
        var (o, e) = (Console.Out, Console.Error);
        Console.SetOut(TextWriter.Null);
        Console.SetError(TextWriter.Null);
        try
        {
            return await run();
        }
        finally
        {
            Console.SetOut(o);
            Console.SetError(e);
        }
    }

    public static IEnumerable<object[]> Seeds => Enumerable.Range(1, 120).Select(s => new object[] { s });

    [Theory]
    [MemberData(nameof(Seeds))]
    public Task RandomData_MatchesTheOracle_V8(int seed) => CheckAgainstOracleAsync(StoreProvider.Sqlite, seed, "cn-v8-2021", 2);

    [Theory]
    [MemberData(nameof(Seeds))]
    public Task RandomData_MatchesTheOracle_V9(int seed) => CheckAgainstOracleAsync(StoreProvider.Sqlite, 10_000 + seed, "cn-v9-2022", 4);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public Task RandomData_MatchesTheOracle_OnPostgres(int seed) => CheckAgainstOracleAsync(StoreProvider.Postgres, 20_000 + seed, "cn-v8-2021", 2);
}
