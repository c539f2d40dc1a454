namespace Fangkong.Tracing;

/// <summary>
/// Co-presence questions over a <see cref="CheckinIndex"/>, for bulk tracing and the benchmark:
/// who shared a venue with given people for at least a minimum time, and how many co-present pairs
/// of check-ins there are. Overlap of two stays = min(ends) − max(starts).
/// </summary>
public static class CoPresence
{
    /// <summary>
    /// The people, other than <paramref name="excluded"/>, with a check-in overlapping one of the
    /// <paramref name="sources"/>' check-ins by at least <paramref name="minimumSeconds"/>.
    /// </summary>
    public static HashSet<int> ContactsOf(CheckinIndex index, IEnumerable<int> sources, long minimumSeconds, IReadOnlySet<int> excluded)
    {
        var found = new HashSet<int>();
        foreach (var source in sources)
        {
            foreach (var mine in index.OfPerson(source))
            {
                var a = index.StartAt(mine);
                var b = index.EndAt(mine);
                if (b - a < minimumSeconds)
                {
                    continue;
                }
                var state = (Index: index, A: a, B: b, Minimum: minimumSeconds, Excluded: excluded, Found: found);
                index.AtVenue(index.Venue[mine], a, b, ref state, static (int i, ref (CheckinIndex Index, long A, long B, long Minimum, IReadOnlySet<int> Excluded, HashSet<int> Found) s) =>
                {
                    var overlap = Math.Min(s.B, s.Index.EndAt(i)) - Math.Max(s.A, s.Index.StartAt(i));
                    var other = s.Index.Person[i];
                    if (overlap >= s.Minimum && !s.Excluded.Contains(other))
                    {
                        s.Found.Add(other);
                    }
                });
            }
        }
        return found;
    }

    /// <summary>
    /// The same question as <see cref="ContactsOf"/> answered by one sweep over every venue, for large
    /// source sets: O(n) plus the work of keeping a list of waiting stays, whatever the sources' number.
    /// At a venue, stays are visited in start order. A stay j overlaps an earlier-starting source stay i by
    /// at least m exactly when end(i) ≥ start(j) + m and end(j) ≥ start(j) + m, so the greatest source end
    /// seen so far decides it. A later-starting source stay i reaches back to the stays waiting in a list
    /// with end ≥ start(i) + m; waiting stays that end earlier can match no later source and are dropped.
    /// </summary>
    public static HashSet<int> ContactsOfBySweep(CheckinIndex index, IReadOnlySet<int> sources, long minimumSeconds, IReadOnlySet<int> excluded)
    {
        var found = new HashSet<int>();
        var (venue, person, start, end) = (index.Venue, index.Person, index.Start, index.End);
        var waiting = new List<int>();
        var n = index.Count;
        for (var lo = 0; lo < n;)
        {
            var hi = lo;
            while (hi < n && venue[hi] == venue[lo])
            {
                hi++;
            }
            waiting.Clear();
            var maxSourceEnd = long.MinValue;
            for (var j = lo; j < hi; j++)
            {
                if (end[j] - start[j] < minimumSeconds)
                {
                    continue;
                }
                var p = person[j];
                if (sources.Contains(p))
                {
                    maxSourceEnd = Math.Max(maxSourceEnd, end[j]);
                    var reach = start[j] + minimumSeconds;
                    var kept = 0;
                    foreach (var w in waiting)
                    {
                        if (end[w] < reach)
                        {
                            continue;   // ends too early for this and every later source
                        }
                        if (person[w] != p)
                        {
                            found.Add(person[w]);
                            continue;   // found: no need to wait any longer
                        }
                        waiting[kept++] = w;
                    }
                    waiting.RemoveRange(kept, waiting.Count - kept);
                }
                else if (!excluded.Contains(p) && !found.Contains(p))
                {
                    if (maxSourceEnd >= start[j] + minimumSeconds)
                    {
                        found.Add(p);
                    }
                    else
                    {
                        waiting.Add(j);
                    }
                }
            }
            lo = hi;
        }
        return found;
    }

    /// <summary>
    /// The number of unordered pairs of check-ins at the same venue overlapping by at least
    /// <paramref name="minimumSeconds"/>, without listing them: visiting stays in start order, stay j
    /// pairs with each earlier-starting stay i of end(i) ≥ start(j) + m (when j itself lasts m), which
    /// a Fenwick tree over end times counts in O(log T). O(n log T) for n stays; T = the span in seconds.
    /// </summary>
    public static long CountPairs(CheckinIndex index, long minimumSeconds)
    {
        var n = index.Count;
        if (n == 0)
        {
            return 0;
        }
        var (venue, start, end) = (index.Venue, index.Start, index.End);
        var origin = start.Min();
        var span = (int)(end.Max() - origin) + 2;
        var tree = new int[span + 1];
        var inserted = new List<int>();
        long pairs = 0, active = 0;
        for (var lo = 0; lo < n;)
        {
            var hi = lo;
            while (hi < n && venue[hi] == venue[lo])
            {
                hi++;
            }
            for (var j = lo; j < hi; j++)
            {
                if (end[j] - start[j] < minimumSeconds)
                {
                    continue;
                }
                // Earlier stays ending before start(j) + m: count them and subtract from the active ones.
                var threshold = (int)(start[j] + minimumSeconds - origin);
                pairs += active - Prefix(tree, threshold - 1);
                var key = (int)(end[j] - origin);
                Add(tree, key, 1);
                inserted.Add(key);
                active++;
            }
            foreach (var key in inserted)
            {
                Add(tree, key, -1);
            }
            inserted.Clear();
            active = 0;
            lo = hi;
        }
        return pairs;
    }

    // Fenwick tree over positions 0..span-1 (stored 1-based).
    private static void Add(int[] tree, int position, int delta)
    {
        for (var i = position + 1; i < tree.Length; i += i & -i)
        {
            tree[i] += delta;
        }
    }

    private static long Prefix(int[] tree, int position)
    {
        long sum = 0;
        for (var i = Math.Min(position + 1, tree.Length - 1); i > 0; i -= i & -i)
        {
            sum += tree[i];
        }
        return sum;
    }
}
