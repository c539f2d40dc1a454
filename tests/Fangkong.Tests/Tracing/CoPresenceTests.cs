using CsCheck;
using Fangkong.Tracing;

namespace Fangkong.Tests.Tracing;

/// <summary>
/// The index and the co-presence queries against a brute force over every pair of stays. Stays spread
/// over three days, cross midnight, and some last longer than the index's packed duration field (36 h).
/// </summary>
public sealed class CoPresenceTests
{
    private const long Minimum = 900;
    private const long Day = CheckinIndex.Day;

    private static readonly Gen<long> Length =
        Gen.Int[0, 9].Select(i => new[] { 0L, 60L, 899L, 900L, 901L, 1800L, 5400L, 9000L, 131_071L, 200_000L }[i]);

    private static readonly Gen<(int Venue, int Person, long Start, long Length)[]> Stays =
        Gen.Select(Gen.Int[0, 4], Gen.Int[0, 25], Gen.OneOf(Gen.Long[0, 20_000], Gen.Long[Day - 6_000, Day + 6_000], Gen.Long[0, 3 * Day]), Length)
            .Array[0, 120];

    private static CheckinIndex Index((int Venue, int Person, long Start, long Length)[] stays) =>
        new([.. stays.Select(s => s.Venue)], [.. stays.Select(s => s.Person)], [.. stays.Select(s => s.Start)], [.. stays.Select(s => s.Start + s.Length)]);

    private static long Overlap((int Venue, int Person, long Start, long Length) a, (int Venue, int Person, long Start, long Length) b) =>
        Math.Min(a.Start + a.Length, b.Start + b.Length) - Math.Max(a.Start, b.Start);

    private static HashSet<int> BruteContacts((int Venue, int Person, long Start, long Length)[] stays, HashSet<int> sources, HashSet<int> excluded)
    {
        var expected = new HashSet<int>();
        foreach (var s in stays.Where(s => sources.Contains(s.Person)))
        {
            foreach (var o in stays.Where(o => o.Venue == s.Venue && !excluded.Contains(o.Person) && !sources.Contains(o.Person)))
            {
                if (Overlap(s, o) >= Minimum)
                {
                    expected.Add(o.Person);
                }
            }
        }
        return expected;
    }

    [Fact]
    public void ContactsOf_ProbeAndSweep_AgreeWithBruteForce()
    {
        Gen.Select(Stays, Gen.Int[0, 25].HashSet[0, 6], Gen.Int[0, 25].HashSet[0, 3]).Sample((stays, sources, others) =>
        {
            var excluded = others.ToHashSet();
            var expected = BruteContacts(stays, sources, excluded);
            var index = Index(stays);
            Assert.Equal(expected.Order(), CoPresence.ContactsOf(index, sources, Minimum, PersonSet.Of(excluded, 0)).ToArray());
            Assert.Equal(expected.Order(), CoPresence.ContactsOfBySweep(index, PersonSet.Of(sources, 0), Minimum, PersonSet.Of(excluded, 0)).ToArray());
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

    [Fact]
    public void AtVenue_And_StaysOf_ReturnExactlyTheStoredStays()
    {
        Gen.Select(Stays, Gen.Int[0, 4], Gen.Long[0, 3 * Day], Gen.Long[1, 40_000]).Sample((stays, venue, a, width) =>
        {
            var index = Index(stays);
            var b = a + width;
            var seen = new List<(int, long, long)>();
            index.AtVenue(venue, a, b, ref seen, static (int p, long s, long e, ref List<(int, long, long)> list) => list.Add((p, s, e)));
            var expected = stays.Where(s => s.Venue == venue && s.Start < b && s.Start + s.Length > a).Select(s => (s.Person, s.Start, s.Start + s.Length));
            Assert.Equal(expected.Order(), seen.Order());
            for (var p = 0; p <= 25; p++)
            {
                var mine = stays.Where(s => s.Person == p).Select(s => (s.Venue, s.Person, s.Start, s.Start + s.Length));
                Assert.Equal(mine.Order(), index.StaysOf(p).Select(s => (s.Venue, s.Person, s.Start, s.End)).Order());
            }
        }, iter: 1000);
    }

    [Fact]
    public void Append_AnswersAsAnIndexBuiltAtOnce()
    {
        // Small batches after a larger start: they wait in the days' tails, then are merged into the days.
        var batches = Gen.Select(Gen.Int[0, 4], Gen.Int[0, 25], Gen.OneOf(Gen.Long[0, 20_000], Gen.Long[Day - 6_000, Day + 6_000], Gen.Long[0, 4 * Day]), Length)
            .Select(s => (Venue: s.Item1, Person: s.Item2, Start: s.Item3, Length: s.Item4)).Array[0, 8].Array[1, 8];
        Gen.Select(Stays, batches, Gen.Int[0, 25].HashSet[1, 6]).Sample((first, later, sources) =>
        {
            var index = Index(first);
            var all = first.AsEnumerable();
            foreach (var batch in later)
            {
                index = index.Append([.. batch.Select(s => s.Venue)], [.. batch.Select(s => s.Person)], [.. batch.Select(s => s.Start)], [.. batch.Select(s => s.Start + s.Length)]);
                all = all.Concat(batch);
                // Rows identical in every field are held once, as the store holds them.
                var distinct = all.Distinct().ToArray();
                var whole = Index(distinct);
                Assert.Equal(whole.Count, index.Compact().Count);
                var none = new PersonSet(0);
                Assert.Equal(BruteContacts(distinct, sources, []).Order(), CoPresence.ContactsOf(index, sources, Minimum, none).ToArray());
                Assert.Equal(BruteContacts(distinct, sources, []).Order(), CoPresence.ContactsOfBySweep(index, PersonSet.Of(sources, 0), Minimum, none).ToArray());
                Assert.Equal(CoPresence.CountPairs(whole, Minimum), CoPresence.CountPairs(index, Minimum));
                foreach (var p in sources)
                {
                    Assert.Equal(whole.StaysOf(p).Distinct().Order().Count(), index.StaysOf(p).Distinct().Count());
                }
            }
        }, iter: 1000);
    }

    [Fact]
    public void Append_LeavesTheEarlierIndexAsItWas()
    {
        var before = new CheckinIndex([1], [1], [1000], [5000]);
        var after = before.Append([1], [2], [2000], [6000]);
        Assert.Equal(1, before.Count);
        Assert.Empty(CoPresence.ContactsOf(before, [1], Minimum, new PersonSet(0)).ToArray());
        Assert.Equal([2], CoPresence.ContactsOf(after, [1], Minimum, new PersonSet(0)).ToArray());
    }

    [Fact]
    public void TheIndex_TakesAtMostTwelveBytesACheckin()
    {
        var rng = new Random(3);
        const int n = 200_000;
        var venue = new int[n];
        var person = new int[n];
        var start = new long[n];
        var end = new long[n];
        for (var i = 0; i < n; i++)
        {
            (venue[i], person[i], start[i]) = (rng.Next(1_000), rng.Next(20_000), rng.NextInt64(4 * Day));
            end[i] = start[i] + rng.Next(300, 7_200);
        }
        var bytes = new CheckinIndex(venue, person, start, end).BytesPerCheckin;
        Assert.InRange(bytes, 11.0, 12.0);
    }
}
