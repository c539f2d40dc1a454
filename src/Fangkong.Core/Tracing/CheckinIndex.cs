namespace Fangkong.Tracing;

/// <summary>A stay at a venue: who, where, from when to when (Unix seconds).</summary>
public readonly record struct Stay(int Venue, int Person, long Start, long End);

/// <summary>Called for each stay found at a venue: the person and the stay's times (Unix seconds).</summary>
public delegate void VisitStay<TState>(int person, long start, long end, ref TState state);

/// <summary>
/// Check-ins held in memory for tracing: one <see cref="IndexSegment"/> a day, ordered by time, each
/// sorted by (venue, start) with a person's positions beside them (about 12 bytes a check-in). Built
/// from the store's days without sorting; kept current by <see cref="Append"/>, which merges new rows
/// into the days they fall on and leaves the other days as they are. Immutable: an append returns a
/// new index sharing the untouched days, so readers of the old one are never disturbed.
/// </summary>
public sealed class CheckinIndex
{
    /// <summary>Length of the days into which check-ins given without a calendar are grouped.</summary>
    public const long Day = 86_400;

    private readonly IndexSegment[] _segments;

    private CheckinIndex(IndexSegment[] segments)
    {
        _segments = segments;
        Count = segments.Sum(s => (long)s.Count);
        PersonLimit = segments.Length == 0 ? 0 : segments.Max(s => s.PersonLimit);
        VenueLimit = segments.Length == 0 ? 0 : segments.Max(s => s.VenueLimit);
    }

    /// <summary>An index of check-ins in any order (columns of equal length; times in Unix seconds).</summary>
    public CheckinIndex(int[] venue, int[] person, long[] start, long[] end)
        : this(Group(venue, person, start, end))
    {
    }

    public static CheckinIndex Empty { get; } = new([]);

    /// <summary>An index of the store's days (each sorted by venue and start); <paramref name="canon"/> maps merged people.</summary>
    public static CheckinIndex FromDays(IReadOnlyList<DayColumns> days, Func<int, int>? canon = null)
    {
        var segments = new IndexSegment[days.Count];
        Parallel.For(0, days.Count, i => segments[i] = IndexSegment.FromSortedDay(days[i], canon));
        return new([.. segments.Where(s => s.Count > 0).OrderBy(s => s.Origin)]);
    }

    private static IndexSegment[] Group(int[] venue, int[] person, long[] start, long[] end)
    {
        if (venue.Length == 0)
        {
            return [];
        }
        var origin = start.Min();
        var byDay = Enumerable.Range(0, venue.Length).GroupBy(i => (start[i] - origin) / Day);
        return [.. byDay.OrderBy(g => g.Key).Select(g =>
        {
            int[] rows = [.. g];
            var dayStart = origin + g.Key * Day;
            return IndexSegment.Build(dayStart, dayStart + Day,
                rows.Select(i => venue[i]).ToArray(), rows.Select(i => person[i]).ToArray(),
                rows.Select(i => start[i]).ToArray(), rows.Select(i => end[i]).ToArray());
        })];
    }

    public long Count { get; }

    /// <summary>One more than the largest person id held.</summary>
    public int PersonLimit { get; }

    /// <summary>One more than the largest venue id held.</summary>
    public int VenueLimit { get; }

    internal IndexSegment[] Segments => _segments;

    /// <summary>Memory held by the index per check-in: rows, postings, offset tables, long stays.</summary>
    public double BytesPerCheckin => Count == 0 ? 0 : _segments.Sum(s => (double)s.Bytes) / Count;

    /// <summary>A person's stays, in time order within each day.</summary>
    public List<Stay> StaysOf(int person)
    {
        var stays = new List<Stay>();
        StaysOf(person, stays);
        return stays;
    }

    internal void StaysOf(int person, List<Stay> into)
    {
        foreach (var s in _segments)
        {
            foreach (var i in s.PositionsOf(person))
            {
                into.Add(new Stay(s.VenueOf(i), person, s.StartAt(i), s.EndAt(i)));
            }
        }
    }

    /// <summary>Whether the person has any check-in in the index.</summary>
    public bool Holds(int person)
    {
        foreach (var s in _segments)
        {
            if (!s.PositionsOf(person).IsEmpty)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Calls <paramref name="visit"/> with each stay at <paramref name="venue"/> that overlaps [a, b)
    /// (Unix seconds): in each day that can hold one, a binary search for the first stay starting at b,
    /// then a backward scan bounded by the venue's longest stay that day.
    /// </summary>
    public void AtVenue<TState>(int venue, long a, long b, ref TState state, VisitStay<TState> visit)
    {
        foreach (var s in _segments)
        {
            if (s.Origin >= b || s.RangeEnd + s.MaxStay <= a)
            {
                continue;
            }
            var (lo, hi) = s.VenueRange(venue);
            if (lo == hi)
            {
                continue;
            }
            var idx = s.FirstStartingAtOrAfter(lo, hi, b - s.Origin);
            var earliest = a - s.VenueMaxStay(venue);
            for (var i = idx - 1; i >= lo; i--)
            {
                var start = s.StartAt(i);
                if (start < earliest)
                {
                    break;
                }
                var end = start + s.DurationAt(i);
                if (end > a)
                {
                    visit(IndexSegment.Person(s.Rows[i]), start, end, ref state);
                }
            }
        }
    }

    /// <summary>
    /// This index with more check-ins: each day they fall on is merged with them (a linear merge of
    /// that day only); other days are shared with this index. Rows identical to one held are kept once.
    /// </summary>
    public CheckinIndex Append(int[] venue, int[] person, long[] start, long[] end)
    {
        if (venue.Length == 0)
        {
            return this;
        }
        var segments = new List<IndexSegment>(_segments);
        var anchor = _segments.Length > 0 ? _segments[0].Origin : start.Min();
        var byDay = Enumerable.Range(0, venue.Length).GroupBy(i => Find(segments, start[i]) is var k and >= 0 ? segments[k].Origin : anchor + FloorDiv(start[i] - anchor, Day) * Day);
        foreach (var g in byDay)
        {
            int[] rows = [.. g];
            var k = segments.FindIndex(s => s.Origin == g.Key);
            // A new day: from its grid midnight, clipped so that days never share a moment.
            var rangeEnd = k >= 0 ? segments[k].RangeEnd : Math.Min(g.Key + Day, segments.Where(s => s.Origin > g.Key).Select(s => s.Origin).DefaultIfEmpty(long.MaxValue).Min());
            var origin = k >= 0 ? g.Key : Math.Max(g.Key, segments.Where(s => s.Origin < g.Key).Select(s => s.RangeEnd).DefaultIfEmpty(long.MinValue).Max());
            var added = IndexSegment.Build(origin, rangeEnd,
                rows.Select(i => venue[i]).ToArray(), rows.Select(i => person[i]).ToArray(),
                rows.Select(i => start[i]).ToArray(), rows.Select(i => end[i]).ToArray());
            if (k >= 0)
            {
                segments[k] = segments[k].Merge(added);
            }
            else
            {
                segments.Add(added);
                segments.Sort((x, y) => x.Origin.CompareTo(y.Origin));
            }
        }
        return new([.. segments]);
    }

    private static int Find(List<IndexSegment> segments, long start) =>
        segments.FindIndex(s => start >= s.Origin && start < s.RangeEnd);

    private static long FloorDiv(long a, long b) => a >= 0 ? a / b : -((-a + b - 1) / b);
}
