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
        var found = new PersonSet(index.PersonLimit);
        var stays = new List<Stay>();
        var m = minimumSeconds;
        var all = sources as IReadOnlyCollection<int> ?? [.. sources];
        var isSource = PersonSet.Of(all, index.PersonLimit);
        foreach (var source in all)
        {
            stays.Clear();
            index.StaysOf(source, stays);
            foreach (var mine in stays)
            {
                if (mine.End - mine.Start < m)
                {
                    continue;
                }
                foreach (var s in index.Segments)
                {
                    var (lo, hi) = s.VenueRange(mine.Venue);
                    if (lo == hi || s.Origin > mine.End - m || s.RangeEnd + s.MaxStay < mine.Start + m)
                    {
                        continue;
                    }
                    var earliest = mine.Start + m - s.VenueMaxStay(mine.Venue);
                    for (var i = s.FirstStartingAtOrAfter(lo, hi, mine.End - m + 1 - s.Origin) - 1; i >= lo; i--)
                    {
                        var start = s.StartAt(i);
                        if (start < earliest)
                        {
                            break;
                        }
                        var end = start + s.DurationAt(i);
                        if (Math.Min(end, mine.End) - Math.Max(start, mine.Start) >= m)
                        {
                            var p = IndexSegment.Person(s.Rows[i]);
                            if (!isSource.Contains(p) && !excluded.Contains(p))
                            {
                                found.Add(p);
                            }
                        }
                    }
                }
            }
        }
        return found;
    }

    /// <summary>
    /// The same question as <see cref="ContactsOf"/> answered by one sweep over every venue, for large
    /// source sets: O(n) whatever the sources' number, venues shared out between the cores. At a venue,
    /// stays are visited in start order (day after day, each day sorted). A stay j overlaps an
    /// earlier-starting source stay i by at least m exactly when end(i) ≥ start(j) + m (j lasting m),
    /// so the greatest source end seen so far decides it. A later-starting source stay i reaches back to
    /// the stays waiting in a list with end ≥ start(i) + m; waiting stays ending earlier can match no
    /// later source, so the list empties at each source stay.
    /// </summary>
    public static PersonSet ContactsOfBySweep(CheckinIndex index, PersonSet sources, long minimumSeconds, PersonSet excluded)
    {
        var parts = Math.Max(1, Math.Min(Environment.ProcessorCount, index.VenueLimit));
        var founds = new PersonSet[parts];
        Parallel.For(0, parts, part =>
        {
            var found = new PersonSet(index.PersonLimit);
            var waiting = new List<(int Person, long End)>();
            // Venues interleaved between the cores: popular venues have low and high ids alike.
            for (var v = part; v < index.VenueLimit; v += parts)
            {
                waiting.Clear();
                var maxSourceEnd = long.MinValue;
                foreach (var s in index.Segments)
                {
                    var (lo, hi) = s.VenueRange(v);
                    for (var i = lo; i < hi; i++)
                    {
                        var duration = s.DurationAt(i);
                        if (duration < minimumSeconds)
                        {
                            continue;
                        }
                        var start = s.StartAt(i);
                        var end = start + duration;
                        var p = IndexSegment.Person(s.Rows[i]);
                        if (sources.Contains(p))
                        {
                            maxSourceEnd = Math.Max(maxSourceEnd, end);
                            // Every waiting stay either ends too early for this and every later source, or is found.
                            var reach = start + minimumSeconds;
                            foreach (var w in waiting)
                            {
                                if (w.End >= reach)
                                {
                                    found.Add(w.Person);
                                }
                            }
                            waiting.Clear();
                        }
                        else if (!excluded.Contains(p) && !found.Contains(p))
                        {
                            if (maxSourceEnd >= start + minimumSeconds)
                            {
                                found.Add(p);
                            }
                            else
                            {
                                waiting.Add((p, end));
                            }
                        }
                    }
                }
            }
            founds[part] = found;
        });
        for (var i = 1; i < parts; i++)
        {
            founds[0].UnionWith(founds[i]);
        }
        return founds[0];
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
        var parts = Math.Max(1, Math.Min(Environment.ProcessorCount, index.VenueLimit));
        var totals = new long[parts];
        Parallel.For(0, parts, part =>
        {
            var starts = new long[256];
            var ends = new long[256];
            long pairs = 0;
            for (var v = part; v < index.VenueLimit; v += parts)
            {
                var k = 0;
                foreach (var s in index.Segments)
                {
                    var (lo, hi) = s.VenueRange(v);
                    for (var i = lo; i < hi; i++)
                    {
                        var duration = s.DurationAt(i);
                        if (duration < minimumSeconds)
                        {
                            continue;
                        }
                        if (k == starts.Length)
                        {
                            Array.Resize(ref starts, k * 2);
                            Array.Resize(ref ends, k * 2);
                        }
                        starts[k] = s.StartAt(i);
                        ends[k++] = starts[k - 1] + duration;
                    }
                }
                pairs += (long)k * (k - 1) / 2;
                for (var i = 0; i < k; i++)
                {
                    pairs -= k - FirstAfter(starts, i + 1, k, ends[i] - minimumSeconds);
                }
            }
            totals[part] = pairs;
        });
        return totals.Sum();
    }

    /// <summary>The first position in [from, to) of sorted <paramref name="values"/> holding more than <paramref name="x"/>: gallop, then bisect.</summary>
    private static int FirstAfter(long[] values, int from, int to, long x)
    {
        var step = 1;
        var lo = from;
        var hi = from;
        while (hi < to && values[hi] <= x)
        {
            lo = hi + 1;
            hi = Math.Min(to, hi + step);
            step <<= 1;
        }
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (values[mid] <= x)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }
}
