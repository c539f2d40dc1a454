using Fangkong.Jurisdictions;

namespace Fangkong.Tests.Jurisdictions;

public sealed class JurisdictionCodeTests
{
    [Theory]
    [InlineData("640000", JurisdictionLevel.Province, null)]
    [InlineData("640100", JurisdictionLevel.City, "640000")]
    [InlineData("640104", JurisdictionLevel.County, "640100")]
    [InlineData("640181", JurisdictionLevel.County, "640100")]
    [InlineData("640104001", JurisdictionLevel.Township, "640104")]
    [InlineData("640104001002", JurisdictionLevel.Community, "640104001")]
    public void Parse_KnowsLevelAndParent(string code, JurisdictionLevel level, string? parent)
    {
        var c = JurisdictionCode.Parse(code);
        Assert.Equal(level, c.Level);
        Assert.Equal(parent, c.Parent?.Value);
    }

    [Theory]
    [InlineData("64010")]
    [InlineData("6401041")]
    [InlineData("64010A")]
    [InlineData("000104")]
    public void TryParse_Malformed_IsRefused(string code) => Assert.False(JurisdictionCode.TryParse(code, out _, out _));

    [Fact]
    public void Contains_FollowsTheTree()
    {
        var region = JurisdictionCode.Parse("640000");
        var yinchuan = JurisdictionCode.Parse("640100");
        var community = JurisdictionCode.Parse("640104001002");
        Assert.True(region.Contains(community));
        Assert.True(yinchuan.Contains(community));
        Assert.False(JurisdictionCode.Parse("640200").Contains(community));
        Assert.False(JurisdictionCode.Parse("640105").Contains(community));
    }

    [Fact]
    public void NingxiaReference_HasTheSpecsTree_AndCountiesAddUpToCities()
    {
        var all = NingxiaReference.All;
        Assert.Equal(28, all.Count);
        Assert.Equal(22, NingxiaReference.Counties.Count());
        Assert.Equal(7_202_654, all.Single(j => j.Code.Value == "640000").Population);
        foreach (var city in all.Where(j => j.Level == JurisdictionLevel.City))
        {
            var counties = all.Where(j => j.ParentCode == city.Code).ToList();
            Assert.NotEmpty(counties);
            Assert.Equal(city.Population, counties.Sum(c => c.Population));
        }
        Assert.Equal(all.Single(j => j.Code.Value == "640000").Population, all.Where(j => j.Level == JurisdictionLevel.City).Sum(c => c.Population));
    }
}
