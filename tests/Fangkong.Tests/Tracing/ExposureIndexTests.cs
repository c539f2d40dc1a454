using Fangkong.Tracing;

namespace Fangkong.Tests.Tracing;

/// <summary>The exposure index gives each person exactly their exposures, in the order given, on both its paths.</summary>
public sealed class ExposureIndexTests
{
    [Theory]
    [InlineData(1, 0, 500)]                    // dense ids: compressed rows
    [InlineData(2, -40, 40)]                   // ids below zero
    [InlineData(3, 0, 2_000_000_000)]          // ids spread too thinly: the dictionary
    public void EachPerson_GetsTheirExposures_InOrder(int seed, int low, int high)
    {
        var rng = new Random(seed);
        var people = Enumerable.Range(0, 60).Select(_ => rng.Next(low, high)).Distinct().ToArray();
        var exposures = Enumerable.Range(0, 400).Select(i => new ManualExposure(people[rng.Next(people.Length)], people[rng.Next(people.Length)], i, i + rng.Next(1, 100))).ToList();
        var index = new ExposureIndex(exposures);
        foreach (var p in people.Append(high + 1).Append(low - 1))
        {
            // Brute force: every exposure naming p, once per side it is on.
            var expected = exposures.SelectMany(e => new[] { e.A == p ? e : (ManualExposure?)null, e.B == p ? e : null }).OfType<ManualExposure>().ToList();
            Assert.Equal(expected, index.Of(p).ToArray());
        }
    }

    [Fact]
    public void NoExposures_IsAnEmptyIndex() => Assert.True(new ExposureIndex([]).Of(7).IsEmpty);
}
