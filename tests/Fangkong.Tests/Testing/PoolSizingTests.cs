using System.Text.Json;
using Fangkong.Testing;

namespace Fangkong.Tests.Testing;

/// <summary>
/// Dorfman's pool size: the expected tests per person E(k, p) = 1/k + 1 − (1 − p)^k, its minimum over
/// k ≥ 2 (or 1 when no pool helps), checked against Dorfman's worked figures and a brute force.
/// </summary>
public sealed class PoolSizingTests
{
    /// <summary>Dorfman (1943): optimum group sizes and relative costs, here to three decimals.</summary>
    [Theory]
    [InlineData(0.01, 11, 0.196)]
    [InlineData(0.02, 8, 0.274)]
    [InlineData(0.05, 5, 0.426)]
    [InlineData(0.10, 4, 0.594)]
    [InlineData(0.15, 3, 0.719)]
    [InlineData(0.20, 3, 0.821)]
    [InlineData(0.30, 3, 0.990)]
    [InlineData(0.001, 32, 0.063)]
    public void TheBestPool_IsDorfmans(double p, int k, double tests)
    {
        var best = PoolSizing.Best(p);
        Assert.Equal(k, best.PoolSize);
        Assert.Equal(tests, Math.Round(best.TestsPerPerson, 3));
    }

    [Theory]
    [InlineData(0.31)]
    [InlineData(0.5)]
    [InlineData(1.0)]
    public void AtAHighPrevalence_NoPoolBeatsTestingAlone(double p) =>
        Assert.Equal(new PoolChoice(1, 1.0), PoolSizing.Best(p));

    [Fact]
    public void TheBestPool_AgreesWithABruteForce()
    {
        var random = new Random(20211022);
        for (var i = 0; i < 300; i++)
        {
            var p = Math.Pow(10, -4 + random.NextDouble() * 3.6);   // 0.0001 … 0.4
            var (k, e) = (1, 1.0);
            for (var size = 2; size <= 3000; size++)
            {
                var cost = 1.0 / size + 1 - Math.Pow(1 - p, size);
                if (cost < e - 1e-12)
                {
                    (k, e) = (size, cost);
                }
            }
            var best = PoolSizing.Best(p);
            Assert.True(Math.Abs(best.TestsPerPerson - e) < 1e-9, $"p = {p}: {best} against k = {k}, E = {e}");
            Assert.True(best.PoolSize == k || Math.Abs(PoolSizing.TestsPerPerson(k, p) - best.TestsPerPerson) < 1e-12, $"p = {p}: k = {best.PoolSize} against {k}");
        }
    }

    [Fact]
    public void OfTheSizesAProfileAllows_TheCheapestIsChosen()
    {
        Assert.Equal(10, PoolSizing.BestOf([5, 10, 20], 0.01).PoolSize);
        Assert.Equal(20, PoolSizing.BestOf([5, 10, 20], 0.001).PoolSize);
        Assert.Equal(5, PoolSizing.BestOf([5, 10, 20], 0.05).PoolSize);
        Assert.Equal(1, PoolSizing.BestOf([5, 10, 20], 0.35).PoolSize);
    }

    [Fact]
    public async Task TheCommand_PrintsTheSizeAndItsCost_AsTextOrJson()
    {
        var (code, output, error) = await Support.Cli.RunAsync("testing", "pool-size", "--prevalence", "0.01", "--format", "json");
        Assert.True(code == 0, error);
        var json = JsonDocument.Parse(output).RootElement;
        Assert.Equal(11, json.GetProperty("pool_size").GetInt32());
        Assert.Equal(0.196, Math.Round(json.GetProperty("tests_per_person").GetDouble(), 3));

        (code, output, error) = await Support.Cli.RunAsync("testing", "pool-size", "--prevalence", "1%");
        Assert.True(code == 0, error);
        Assert.StartsWith("pool size 11: 0.196 tests per person", output, StringComparison.Ordinal);

        (code, output, _) = await Support.Cli.RunAsync("testing", "pool-size", "--prevalence", "0.4", "--format", "json");
        Assert.Equal(0, code);
        Assert.Equal(1, JsonDocument.Parse(output).RootElement.GetProperty("pool_size").GetInt32());
        Assert.Equal(1.0, JsonDocument.Parse(output).RootElement.GetProperty("tests_per_person").GetDouble());

        foreach (var bad in new[] { "0", "-0.1", "1.5", "abc", "150%" })
        {
            (code, _, error) = await Support.Cli.RunAsync("testing", "pool-size", "--prevalence", bad);
            Assert.NotEqual(0, code);
            Assert.Contains("--prevalence", error, StringComparison.Ordinal);
        }
    }
}
