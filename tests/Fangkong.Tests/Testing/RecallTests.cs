using Fangkong.Testing;

namespace Fangkong.Tests.Testing;

/// <summary>The recall rules of SPEC C5 as a pure function, one case of each kind of tube.</summary>
public sealed class RecallTests
{
    private static ResultedTube Tube(int id, TubeResult result, params int[] members) => new(id, $"T{id}", 1000 * id, result, 1000 * id + 500, members);

    [Fact]
    public void EachKindOfTube_AsksForWhatTheRulesSay()
    {
        var pooledPositive = Tube(1, TubeResult.Positive, 1, 2, 3);
        var pooledInconclusive = Tube(2, TubeResult.Inconclusive, 4, 5);
        var pooledNegative = Tube(3, TubeResult.Negative, 6, 7);
        var singlePositive = Tube(4, TubeResult.Positive, 8);
        var singleInconclusive = Tube(5, TubeResult.Inconclusive, 9);
        var singleNegative = Tube(6, TubeResult.Negative, 10);
        var plan = Recall.Decide([pooledPositive, pooledInconclusive, pooledNegative, singlePositive, singleInconclusive, singleNegative]);

        Assert.Equal([1, 2, 3, 4, 5, 8], plan.Hold.Select(h => h.Person));
        Assert.Equal([1, 2, 3, 4, 5, 9], plan.Resample.Select(h => h.Person));
        Assert.Equal([(8, 4)], plan.Suspected.Select(h => (h.Person, h.Tube.TubeId)));
        Assert.Equal([1, 2], plan.Recalled.Select(t => t.TubeId));
        Assert.Equal([10], plan.Cleared.Select(h => h.Person));
    }

    [Theory]
    [InlineData("negative", TubeResult.Negative)]
    [InlineData(" Positive ", TubeResult.Positive)]
    [InlineData("INCONCLUSIVE", TubeResult.Inconclusive)]
    public void Results_ParseFromTheirCodes(string text, TubeResult expected)
    {
        Assert.True(TubeResults.TryParse(text, out var r));
        Assert.Equal(expected, r);
        Assert.Equal(expected, TubeResults.Parse(expected.ToCode()));
    }

    [Fact]
    public void AnythingElse_IsNotAResult()
    {
        Assert.False(TubeResults.TryParse("weak positive", out _));
        Assert.False(TubeResults.TryParse("", out _));
    }
}
