namespace Fangkong.Tracing;

/// <summary>A stay at a venue: who, where, from when to when (Unix seconds).</summary>
public readonly record struct Stay(int Venue, int Person, long Start, long End);

/// <summary>Called for each stay found at a venue: the person and the stay's times (Unix seconds).</summary>
public delegate void VisitStay<TState>(int person, long start, long end, ref TState state);

/// <summary>
/// Check-ins held in memory for tracing: one <see cref="IndexSegment"/> a day, ordered by time, each
/// sorted by (venue, start) with a person's positions beside them (about 12 bytes a check-in). Built
/// from the store's days without sorting; kept current by <see cref="Append"/>: new rows go to the
/// tail of the day they fall on, a few sorted runs each at most half the one before (merged as a
/// binary counter carries), and the tail is merged into the day once it holds a quarter of it; so
/// an append costs about its own size times a logarithm, not the size of the day. Immutable: an append
/// returns a new index sharing the untouched segments, so readers of the old one are never disturbed.
/// </summary>
public sealed class CheckinIndex
{
    /// <summary>Length of the days into which check-ins given without a calendar are grouped.</summary>
    public const long Day = 86_400;

    /// <summary>A day's tail is merged into the day when it reaches this fraction of the day.</summary>
    private const int TailShare = 4;

    private readonly IndexSegment[] _days;      // ordered by origin; their start ranges never meet
    private readonly IndexSegment[][] _tails;   // runs appended to each day since its last merge, largest first
    private readonly IndexSegment[] _all;       // days and tails: what a probe looks at
    private CheckinIndex? _compacted;

    private CheckinIndex(IndexSegment[] days, IndexSegment[][]? tails = null)
    {
        _days = days;
        _tails = tails ?? [.. days.Select(_ => Array.Empty<IndexSegment>())];
        _all = [.. days.Zip(_tails).SelectMany(d => d.Second.Prepend(d.First))];
        Count = _all.Sum(s => (long)s.Count);
        PersonLimit = _all.Length == 0 ? 0 : _all.Max(s => s.PersonLimit);
        VenueLimit = _all.Length == 0 ? 0 : _all.Max(s => s.VenueLimit);
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
            var dayStart = origin + g.Key * Day;
            return Build(dayStart, dayStart + Day, [.. g], venue, person, start, end);
        })];
    }

    /// <summary>A segment of the given rows of the columns.</summary>
    private static IndexSegment Build(long origin, long rangeEnd, int[] rows, int[] venue, int[] person, long[] start, long[] end) =>
        IndexSegment.Build(origin, rangeEnd,
            rows.Select(i => venue[i]).ToArray(), rows.Select(i => person[i]).ToArray(),
            rows.Select(i => start[i]).ToArray(), rows.Select(i => end[i]).ToArray());

    /// <summary>Rows held; a row appended again is counted until its day's tail is merged (see <see cref="Compact"/>).</summary>
    public long Count { get; }

    /// <summary>One more than the largest person id held.</summary>
    public int PersonLimit { get; }

    /// <summary>One more than the largest venue id held.</summary>
    public int VenueLimit { get; }

    /// <summary>Unix seconds of the latest day's start (0 for an empty index).</summary>
    public long LastDayStart => _days.Length == 0 ? 0 : _days[^1].Origin;

    /// <summary>Every segment, days and tails: for probes, which do not need rows in order across segments.</summary>
    internal IndexSegment[] Segments => _all;

    /// <summary>The days with their tails merged in: a venue's rows in start order, day after day.</summary>
    internal IndexSegment[] OrderedSegments => Compact()._days;

    /// <summary>This index with every day's tail merged into the day (computed once, then kept).</summary>
    public CheckinIndex Compact()
    {
        if (_tails.All(t => t.Length == 0))
        {
            return this;
        }
        if (_compacted is null)
        {
            var days = new IndexSegment[_days.Length];
            Parallel.For(0, days.Length, i => days[i] = _tails[i].Aggregate(_days[i], (day, run) => day.Merge(run)));
            // Two readers may both compute it; the first one kept is the one everyone gets.
            Interlocked.CompareExchange(ref _compacted, new CheckinIndex(days), null);
        }
        return _compacted;
    }

    /// <summary>Memory held by the index per check-in: rows, postings, offset tables, long stays.</summary>
    public double BytesPerCheckin => Count == 0 ? 0 : _all.Sum(s => (double)s.Bytes) / Count;

    /// <summary>A person's stays, in time order within each day.</summary>
    public List<Stay> StaysOf(int person)
    {
        var stays = new List<Stay>();
        StaysOf(person, stays);
        return stays;
    }

    internal void StaysOf(int person, List<Stay> into)
    {
        foreach (var s in _all)
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
        foreach (var s in _all)
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
        foreach (var s in _all)
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
    /// This index with more check-ins. Each day they fall on gets them as a new run of its tail; runs
    /// of like size are merged as a binary counter carries, and a tail that reaches a quarter of its
    /// day is merged into the day. Other days are shared with this index. Rows identical to one held
    /// are kept once (from the merge into the day).
    /// </summary>
    public CheckinIndex Append(int[] venue, int[] person, long[] start, long[] end)
    {
        if (venue.Length == 0)
        {
            return this;
        }
        var days = new List<IndexSegment>(_days);
        var tails = new List<IndexSegment[]>(_tails);
        var anchor = _days.Length > 0 ? _days[0].Origin : start.Min();
        var byDay = Enumerable.Range(0, venue.Length).GroupBy(i => Find(days, start[i]) is var k and >= 0 ? days[k].Origin : anchor + FloorDiv(start[i] - anchor, Day) * Day);
        foreach (var g in byDay)
        {
            var k = days.FindIndex(s => s.Origin == g.Key);
            // A new day: from its grid midnight, clipped so that days never share a moment.
            var rangeEnd = k >= 0 ? days[k].RangeEnd : Math.Min(g.Key + Day, days.Where(s => s.Origin > g.Key).Select(s => s.Origin).DefaultIfEmpty(long.MaxValue).Min());
            var origin = k >= 0 ? g.Key : Math.Max(g.Key, days.Where(s => s.Origin < g.Key).Select(s => s.RangeEnd).DefaultIfEmpty(long.MinValue).Max());
            var added = Build(origin, rangeEnd, [.. g], venue, person, start, end);
            if (k < 0)
            {
                var at = days.FindIndex(s => s.Origin > origin);
                at = at < 0 ? days.Count : at;
                days.Insert(at, added);
                tails.Insert(at, []);
                continue;
            }
            var runs = new List<IndexSegment>(tails[k]) { added };
            while (runs.Count >= 2 && (long)runs[^1].Count * 2 >= runs[^2].Count)
            {
                runs[^2] = runs[^2].Merge(runs[^1]);
                runs.RemoveAt(runs.Count - 1);
            }
            if (runs.Sum(r => (long)r.Count) * TailShare >= days[k].Count)
            {
                (days[k], tails[k]) = (runs.Aggregate(days[k], (day, run) => day.Merge(run)), []);
            }
            else
            {
                tails[k] = [.. runs];
            }
        }
        return new([.. days], [.. tails]);
    }

    private static int Find(List<IndexSegment> segments, long start) =>
        segments.FindIndex(s => start >= s.Origin && start < s.RangeEnd);

    private static long FloorDiv(long a, long b) => a >= 0 ? a / b : -((-a + b - 1) / b);
}
