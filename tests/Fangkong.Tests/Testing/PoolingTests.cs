using Fangkong.Policies;
using Fangkong.Testing;

namespace Fangkong.Tests.Testing;

/// <summary>
/// Pooling by where a sample is taken, as each profile says: single at isolation sites and for key groups;
/// under cn-v8-2021 10-in-1 everywhere else; under cn-v9-2022 one tube a household in a high-risk area,
/// 10-in-1 in a medium-risk area, 20-in-1 in a low-risk area and elsewhere.
/// </summary>
public sealed class PoolingTests
{
    private static readonly PolicyCatalog Catalog = PolicyCatalog.Load();

    [Theory]
    [InlineData("cn-v8-2021", true, false, null, "single")]
    [InlineData("cn-v8-2021", false, true, "sealed", "single")]
    [InlineData("cn-v8-2021", false, false, "sealed", "10-in-1")]
    [InlineData("cn-v8-2021", false, false, "controlled", "10-in-1")]
    [InlineData("cn-v8-2021", false, false, "precaution", "10-in-1")]
    [InlineData("cn-v8-2021", false, false, null, "10-in-1")]
    [InlineData("cn-v9-2022", true, true, "high", "single")]
    [InlineData("cn-v9-2022", false, true, "low", "single")]
    [InlineData("cn-v9-2022", false, false, "high", "household")]
    [InlineData("cn-v9-2022", false, false, "medium", "10-in-1")]
    [InlineData("cn-v9-2022", false, false, "low", "20-in-1")]
    [InlineData("cn-v9-2022", false, false, null, "20-in-1")]
    public void TheMode_FollowsTheSiteTheGroupAndTheAreasRisk(string profile, bool isolationSite, bool keyGroup, string? risk, string expected) =>
        Assert.Equal(expected, Catalog.Get(profile).Testing.Pooling.For(new SamplingContext(isolationSite, keyGroup, risk)).ToCode());

    [Fact]
    public void TheLargestPool_AndTheSizesToWeigh_ComeFromTheProfile()
    {
        Assert.Equal(10, Catalog.Get("cn-v8-2021").Testing.Pooling.LargestPool);
        Assert.Equal([10], Catalog.Get("cn-v8-2021").Testing.Pooling.PooledSizes);
        Assert.Equal(20, Catalog.Get("cn-v9-2022").Testing.Pooling.LargestPool);
        Assert.Equal([10, 20], Catalog.Get("cn-v9-2022").Testing.Pooling.PooledSizes);
        // At 1 % positivity the planner would choose 10 of cn-v9-2022's sizes (0.196 tests a person against 0.232 for 20).
        Assert.Equal(10, PoolSizing.BestOf(Catalog.Get("cn-v9-2022").Testing.Pooling.PooledSizes, 0.01).PoolSize);
    }

    [Theory]
    [InlineData("single")]
    [InlineData("household")]
    [InlineData("5-in-1")]
    [InlineData("10-in-1")]
    [InlineData("20-in-1")]
    public void ACode_ReadsBackAsItself(string code) => Assert.Equal(code, PoolingMode.Parse(code).ToCode());

    [Fact]
    public void AProfile_WithAnUnknownModeOrRiskLevel_IsRefusedNamingTheField()
    {
        var v9 = PolicyCatalog.RawText(Catalog.Get("cn-v9-2022"));
        var e = Assert.Throws<PolicyLoadException>(() => PolicyCatalog.Parse(v9.Replace("\"low\": \"20-in-1\"", "\"low\": \"30-in-1\"", StringComparison.Ordinal), "p.json"));
        Assert.Contains("/testing/pooling/byRiskLevel/low", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<PolicyLoadException>(() => PolicyCatalog.Parse(v9.Replace("\"medium\": \"10-in-1\"", "\"sealed\": \"10-in-1\"", StringComparison.Ordinal), "p.json"));
        Assert.Contains("/testing/pooling/byRiskLevel/sealed", e.Message, StringComparison.Ordinal);
    }
}
