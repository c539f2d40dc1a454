using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Fangkong.Tracing;

/// <summary>
/// Co-presence questions over a <see cref="CheckinIndex"/>, for bulk tracing and the benchmark: who
/// shared a venue with given people for at least a minimum time, and how many co-present pairs of
/// check-ins there are. Overlap of two stays = min(ends) − max(starts). Only stays lasting the minimum
/// can qualify, so shorter ones are skipped everywhere.
/// </summary>
public static class CoPresence
{
    /// <summary>
    /// The people, other than the sources and <paramref name="excluded"/>, with a check-in overlapping
    /// one of the <paramref name="sources"/>' check-ins by at least <paramref name="minimumSeconds"/>:
    /// for each source stay, a binary search in each day that can hold a partner (a partner starts by
    /// end − m) and a backward scan bounded by the venue's longest stay (a partner ends after start + m).
    /// </summary>
    public static PersonSet ContactsOf(CheckinIndex index, IEnumerable<int> sources, long minimumSeconds, PersonSet excluded)
    {
        int[] all = [.. sources];
        var limit = index.PersonLimit;
        // Each probe waits on memory more than it computes: two cores wait on two probes at once.
        var parts = all.Length >= 64 ? Math.Min(2, Environment.ProcessorCount) : 1;
        var founds = new PersonSet[parts];
        Parallel.For(0, parts, part =>
        {
            var mine = new PersonSet(limit);
            var words = mine.WordsFor(limit);
            var stays = new List<Stay>();
            for (var k = part; k < all.Length; k += parts)
            {
                stays.Clear();
                index.StaysOf(all[k], stays);
                foreach (var stay in stays)
                {
                    Probe(index, stay, minimumSeconds, words);
                }
            }
            founds[part] = mine;
        });
        var found = founds[0];
        for (var i = 1; i < parts; i++)
        {
            found.UnionWith(founds[i]);
        }
        // Sources and excluded people found by the probes are taken out at the end, not looked up on the way.
        found.ExceptWith(excluded);
        found.ExceptWith(PersonSet.Of(all, limit));
        return found;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Probe(CheckinIndex index, Stay mine, long m, ulong[] found)
    {
        if (mine.End - mine.Start < m)
        {
            return;
        }
        foreach (var s in index.Segments)
        {
            var (lo, hi) = s.VenueRange(mine.Venue);
            if (lo == hi || s.Origin > mine.End - m || s.RangeEnd + s.MaxStay < mine.Start + m)
            {
                continue;
            }
            var rows = s.Rows;
            var origin = s.Origin;
            var earliest = mine.Start + m - s.VenueMaxStay(mine.Venue);
            for (var i = s.FirstStartingAtOrAfter(lo, hi, mine.End - m + 1 - origin) - 1; i >= lo; i--)
            {
                var row = rows[i];
                var start = origin + (long)(row >> IndexSegment.StartShift);
                if (start < earliest)
                {
                    break;
                }
                var d = (int)(row >> IndexSegment.PersonBits) & IndexSegment.DurationMask;
                var end = start + (d == IndexSegment.DurationMask ? s.LongStay(i) : d);
                if (Math.Min(end, mine.End) - Math.Max(start, mine.Start) >= m)
                {
                    var p = (int)(row & IndexSegment.PersonMask);
                    found[p >> 6] |= 1UL << p;
                }
            }
        }
    }

    /// <summary>
    /// The same question as <see cref="ContactsOf"/> answered by one sweep over every venue, for large
    /// source sets: O(n) whatever the sources' number. The sources' rows are marked first in a bitmap
    /// of rows (from their posting lists), so the sweep reads rows and marks in order and never looks a
    /// person up. At a venue, stays are visited in start order (day after day, each day sorted). A stay
    /// j overlaps an earlier-starting source stay i by at least m exactly when end(i) ≥ start(j) + m (j
    /// lasting m), so the greatest source end seen so far decides it. A later-starting source stay i
    /// reaches back to the stays waiting in a list with end ≥ start(i) + m; waiting stays ending
    /// earlier can match no later source, so the list empties at each source stay. Sources and
    /// excluded people are taken out at the end. Venues are shared out between the cores.
    /// </summary>
    public static PersonSet ContactsOfBySweep(CheckinIndex index, PersonSet sources, long minimumSeconds, PersonSet excluded)
    {
        var limit = index.PersonLimit;
        var segments = index.OrderedSegments;
        var members = sources.ToArray();
        var marks = new ulong[segments.Length][];
        Parallel.For(0, segments.Length, k =>
        {
            marks[k] = new ulong[(segments[k].Count + 63) / 64];
            segments[k].MarkRowsOf(members, marks[k]);
        });
        // Venues in chunks of consecutive ids, taken by the cores as they come free: each reads its
        // chunk's rows in memory order, and one popular venue cannot hold a whole half of the work.
        var found = new PersonSet(limit);
        Parallel.For(0, Chunks(index.VenueLimit), () => new PersonSet(limit), (chunk, _, mine) =>
        {
            Sweep(segments, marks, chunk * Chunk, Math.Min(index.VenueLimit, (chunk + 1) * Chunk), minimumSeconds, mine.WordsFor(limit));
            return mine;
        }, mine =>
        {
            lock (found)
            {
                found.UnionWith(mine);
            }
        });
        found.ExceptWith(excluded);
        found.ExceptWith(sources);
        return found;
    }

    private const int Chunk = 512;

    private static int Chunks(int venues) => (venues + Chunk - 1) / Chunk;

    /// <summary>
    /// The sweep over venues [from, to); found people set in <paramref name="found"/>. Between two
    /// consecutive source stays of a venue (in start order) every other stay j lasting m is decided by
    /// two numbers: it meets an earlier source when start(j) ≤ M − m (M the latest end of the sources
    /// before it), a later one when end(j) ≥ S + m (S the next source's start; later sources start
    /// later still). So the venue's source stays are listed first from the row marks, then every row
    /// is decided without a branch.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Sweep(IndexSegment[] segments, ulong[][] marks, int from, int to, long m, ulong[] found)
    {
        var sourceAt = new int[64];      // position of each source stay (segment k in the high bits of a long would do; two arrays are plainer)
        var sourceSegment = new int[64];
        var sourceStart = new long[64];
        var sourceEnd = new long[64];
        for (var v = from; v < to; v++)
        {
            // The venue's source stays lasting m, in order, from the marked rows.
            var n = 0;
            for (var k = 0; k < segments.Length; k++)
            {
                var s = segments[k];
                var (lo, hi) = s.VenueRange(v);
                var mark = marks[k];
                for (var w = lo >> 6; w <= (hi - 1) >> 6 && lo < hi; w++)
                {
                    for (var bits = mark[w]; bits != 0; bits &= bits - 1)
                    {
                        var i = (w << 6) + BitOperations.TrailingZeroCount(bits);
                        if (i < lo || i >= hi || s.DurationAt(i) < m)
                        {
                            continue;
                        }
                        if (n == sourceAt.Length)
                        {
                            Array.Resize(ref sourceAt, n * 2);
                            Array.Resize(ref sourceSegment, n * 2);
                            Array.Resize(ref sourceStart, n * 2);
                            Array.Resize(ref sourceEnd, n * 2);
                        }
                        (sourceAt[n], sourceSegment[n], sourceStart[n], sourceEnd[n]) = (i, k, s.StartAt(i), s.StartAt(i) + s.DurationAt(i));
                        n++;
                    }
                }
            }
            if (n == 0)
            {
                continue;
            }
            // Every row in order: t sources passed so far, M the latest end among them, S the next one's start.
            var t = 0;
            var latest = long.MinValue / 2;
            var next = sourceStart[0];
            for (var k = 0; k < segments.Length; k++)
            {
                var s = segments[k];
                var (lo, hi) = s.VenueRange(v);
                var rows = s.Rows;
                var origin = s.Origin;
                for (var i = lo; i < hi; i++)
                {
                    if (t < n && sourceAt[t] == i && sourceSegment[t] == k)
                    {
                        latest = Math.Max(latest, sourceEnd[t]);
                        next = ++t < n ? sourceStart[t] : long.MaxValue / 2;
                        continue;
                    }
                    var row = rows[i];
                    long duration = (int)(row >> IndexSegment.PersonBits) & IndexSegment.DurationMask;
                    if (duration == IndexSegment.DurationMask)
                    {
                        duration = s.LongStay(i);
                    }
                    var start = origin + (long)(row >> IndexSegment.StartShift);
                    var meets = duration >= m & (start <= latest - m | start + duration >= next + m);
                    var p = (int)(row & IndexSegment.PersonMask);
                    found[p >> 6] |= (meets ? 1UL : 0UL) << p;
                }
            }
        }
    }

    /// <summary>
    /// The number of unordered pairs of check-ins at the same venue overlapping by at least
    /// <paramref name="minimumSeconds"/>, without listing them. Among the k stays of a venue lasting m
    /// or more, a pair fails exactly when one ends less than m after the other starts (both cannot
    /// happen, each lasting m), so pairs = k(k−1)/2 − Σᵢ #{j : start(j) > end(i) − m}; with starts in
    /// order each count is a galloping search from i. O(n log c), c the stays a stay meets.
    /// </summary>
    public static long CountPairs(CheckinIndex index, long minimumSeconds)
    {
        var totals = new long[Chunks(index.VenueLimit)];
        var segments = index.OrderedSegments;
        var baseline = segments.Length == 0 ? 0 : segments[0].Origin;
        var m = (int)Math.Min(minimumSeconds, int.MaxValue);
        Parallel.For(0, Chunks(index.VenueLimit), chunk => totals[chunk] = Pairs(segments, baseline, chunk * Chunk, Math.Min(index.VenueLimit, (chunk + 1) * Chunk), m));
        return totals.Sum();
    }

    /// <summary>The pair count over venues [from, to).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static long Pairs(IndexSegment[] segments, long baseline, int from, int to, int m)
    {
        // Seconds after the first day's origin: four bytes each.
        var starts = new int[256];
        var ends = new int[256];
        long pairs = 0;
        for (var v = from; v < to; v++)
        {
            var k = 0;
            foreach (var s in segments)
            {
                var (lo, hi) = s.VenueRange(v);
                if (k + hi - lo > starts.Length)
                {
                    Array.Resize(ref starts, Math.Max(k + hi - lo, starts.Length * 2));
                    Array.Resize(ref ends, starts.Length);
                }
                var rows = s.Rows;
                var offset = (int)(s.Origin - baseline);
                for (var i = lo; i < hi; i++)
                {
                    var row = rows[i];
                    var duration = (int)(row >> IndexSegment.PersonBits) & IndexSegment.DurationMask;
                    if (duration == IndexSegment.DurationMask)
                    {
                        duration = s.LongStay(i);
                    }
                    var start = offset + (int)(row >> IndexSegment.StartShift);
                    starts[k] = start;
                    ends[k] = start + duration;
                    k += duration >= m ? 1 : 0;
                }
            }
            pairs += (long)k * (k - 1) / 2;
            var sorted = starts.AsSpan(0, k);
            for (var i = 0; i < k; i++)
            {
                pairs -= k - FirstAfterNear(sorted, i + 1, ends[i] - m);
            }
        }
        return pairs;
    }

    /// <summary>
    /// <see cref="FirstAfter"/> for an answer usually a few places on: eight starts compared at once
    /// (the ones not after x are a prefix, sorted as they are), galloping past 32.
    /// </summary>
    private static int FirstAfterNear(ReadOnlySpan<int> values, int from, int x)
    {
        var j = from;
        if (Vector256.IsHardwareAccelerated)
        {
            var xs = Vector256.Create(x);
            ref var first = ref MemoryMarshal.GetReference(values);
            var near = Math.Min(values.Length - 8, from + 32);
            for (; j <= near; j += 8)
            {
                var notAfter = Vector256.LessThanOrEqual(Vector256.LoadUnsafe(ref first, (nuint)j), xs).ExtractMostSignificantBits();
                if (notAfter != 0xFF)
                {
                    return j + BitOperations.TrailingZeroCount(~notAfter);
                }
            }
        }
        return FirstAfter(values, j, x);
    }

    /// <summary>The first position at or after <paramref name="from"/> of sorted <paramref name="values"/> holding more than <paramref name="x"/>: gallop, then bisect.</summary>
    private static int FirstAfter(ReadOnlySpan<int> values, int from, int x)
    {
        var step = 1;
        var lo = from;
        var hi = from;
        while (hi < values.Length && values[hi] <= x)
        {
            lo = hi + 1;
            hi = Math.Min(values.Length, hi + step);
            step <<= 1;
        }
        return lo + Sorted.UpperBound(values[lo..hi], x);
    }
}
