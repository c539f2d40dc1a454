using CsCheck;
using Fangkong.Tracing;

namespace Fangkong.Tests.Tracing;

/// <summary>The co-presence queries against a brute force over every pair of stays.</summary>
public sealed class CoPresenceTests
{
    private const long Minimum = 900;

    private static readonly Gen<(int Venue, int Person, long Start, long Length)[]> Stays =
        Gen.Select(Gen.Int[0, 4], Gen.Int[0, 25], Gen.Long[0, 20_000], Gen.Int[0, 7].Select(i => new[] { 0L, 60L, 899L, 900L, 901L, 1800L, 5400L, 9000L }[i]))
            .Array[0, 120];

    private static CheckinIndex Index((int Venue, int Person, long Start, long Length)[] stays) =>
        new([.. stays.Select(s => s.Venue)], [.. stays.Select(s => s.Person)], [.. stays.Select(s => s.Start)], [.. stays.Select(s => s.Start + s.Length)]);

    private static long Overlap((int Venue, int Person, long Start, long Length) a, (int Venue, int Person, long Start, long Length) b) =>
        Math.Min(a.Start + a.Length, b.Start + b.Length) - Math.Max(a.Start, b.Start);

    [Fact]
    public void ContactsOf_ProbeAndSweep_AgreeWithBruteForce()
    {
        Gen.Select(Stays, Gen.Int[0, 25].HashSet[0, 6]).Sample((stays, sources) =>
        {
            var excluded = sources.ToHashSet();
            var expected = new HashSet<int>();
            foreach (var s in stays.Where(s => sources.Contains(s.Person)))
            {
                foreach (var o in stays.Where(o => o.Venue == s.Venue && !excluded.Contains(o.Person)))
                {
                    if (Overlap(s, o) >= Minimum)
                    {
                        expected.Add(o.Person);
                    }
                }
            }
            var index = Index(stays);
            Assert.Equal(expected.Order(), CoPresence.ContactsOf(index, sources, Minimum, excluded).Order());
            Assert.Equal(expected.Order(), CoPresence.ContactsOfBySweep(index, sources, Minimum, excluded).Order());
        }, iter: 3000);
    }

    [Fact]
    public void CountPairs_AgreesWithBruteForce()
    {
        Stays.Sample(stays =>
        {
            long expected = 0;
            for (var i = 0; i < stays.Length; i++)
            {
                for (var j = i + 1; j < stays.Length; j++)
                {
                    if (stays[i].Venue == stays[j].Venue && Overlap(stays[i], stays[j]) >= Minimum)
                    {
                        expected++;
                    }
                }
            }
            Assert.Equal(expected, CoPresence.CountPairs(Index(stays), Minimum));
        }, iter: 3000);
    }
}
