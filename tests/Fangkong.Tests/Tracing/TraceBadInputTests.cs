using Fangkong.Cli.Commands;
using Fangkong.Storage;
using Fangkong.Tests.Support;

namespace Fangkong.Tests.Tracing;

[Collection(nameof(Cli.ConsoleCollection))]
public sealed class TraceBadInputTests
{
    [Fact]
    public async Task NoCases_WritesAHeaderOnlyFile_AndSaysSo()
    {
        await using var store = await TestStore.CreateAsync(StoreProvider.Sqlite);
        await store.WriteAsync("persons.csv", "person_id\nA\n");
        Assert.Equal(0, (await Support.Cli.RunAsync("--db", store.DbArgument, "import", "persons", store.File("persons.csv"))).Code);
        var (code, output, _) = await Support.Cli.RunAsync("--db", store.DbArgument, "trace", "--policy", "cn-v9-2022", "--as-of", "2021-10-22T12:00:00+08:00", "--out", store.File("c.csv"));
        Assert.Equal(0, code);
        Assert.Contains("no cases", output, StringComparison.Ordinal);
        Assert.Equal(["person_id,tier,index_person_id,via_person_id,venue_id,exposure_start,exposure_end"], await File.ReadAllLinesAsync(store.File("c.csv")));
    }

    [Theory]
    [InlineData("2021-10-22T12:00:00", "--as-of '2021-10-22T12:00:00' is not an ISO 8601 time with an offset")]
    [InlineData("yesterday", "--as-of 'yesterday' is not an ISO 8601 time with an offset")]
    public async Task AsOfWithoutOffset_IsRefused(string asOf, string message)
    {
        await using var store = await TestStore.CreateAsync(StoreProvider.Sqlite);
        var (code, _, err) = await Support.Cli.RunAsync("--db", store.DbArgument, "trace", "--as-of", asOf, "--out", store.File("c.csv"));
        Assert.Equal(2, code);
        Assert.Contains(message, err, StringComparison.Ordinal);
        Assert.False(File.Exists(store.File("c.csv")));
    }

    [Fact]
    public async Task UnknownPolicy_IsRefused()
    {
        await using var store = await TestStore.CreateAsync(StoreProvider.Sqlite);
        var (code, _, err) = await Support.Cli.RunAsync("--db", store.DbArgument, "trace", "--policy", "cn-v7", "--as-of", "2021-10-22T12:00:00+08:00", "--out", store.File("c.csv"));
        Assert.Equal(2, code);
        Assert.Contains("Unknown policy profile 'cn-v7'", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CaseReportedBeforeOnset_OrWithoutOnsetOrSampling_IsRefused()
    {
        await using var store = await TestStore.CreateAsync(StoreProvider.Sqlite);
        await store.WriteAsync("persons.csv", "person_id\nA\nB\n");
        await Support.Cli.RunAsync("--db", store.DbArgument, "import", "persons", store.File("persons.csv"));
        await store.WriteAsync("cases.csv", """
            person_id,classification,onset_date,sampling_time,report_time
            A,confirmed,2021-10-17,,2021-10-16T09:00:00+08:00
            B,confirmed,,,2021-10-16T09:00:00+08:00
            Z,confirmed,2021-10-17,,2021-10-18T09:00:00+08:00
            """);
        var (code, _, err) = await Support.Cli.RunAsync("--db", store.DbArgument, "import", "cases", store.File("cases.csv"));
        Assert.Equal(1, code);
        Assert.Contains("line 2, column report_time: 2021-10-16T09:00:00+08:00 is before the onset date 2021-10-17", err, StringComparison.Ordinal);
        Assert.Contains("line 3, column onset_date: a case needs an onset_date or a sampling_time", err, StringComparison.Ordinal);
        Assert.Contains("line 4, column person_id: 'Z' is not a known person", err, StringComparison.Ordinal);
    }
}
