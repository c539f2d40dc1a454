namespace Fangkong.Tracing;

/// <summary>
/// The check-ins of one day of a <see cref="CheckinIndex"/>: every check-in starts in
/// [<see cref="Origin"/>, <see cref="RangeEnd"/>). Rows are 64-bit words sorted by (venue, word):
/// start after the origin (17 bits, seconds), duration (17 bits, seconds; the largest value means
/// "look in the long-stay table") and person (30 bits), so ordering the words orders by start. A
/// venue's rows are found through a <see cref="VenueDirectory"/>, a person's through a
/// <see cref="PersonDirectory"/>; the start and venue of every 64th row shorten the searches.
/// About 11.6 bytes a check-in in a day of the benchmark's size.
/// </summary>
internal sealed class IndexSegment
{
    public const int StartBits = 17;
    public const int DurationBits = 17;
    public const int PersonBits = 30;
    public const long MaxSpan = 1L << StartBits;
    public const int StartShift = DurationBits + PersonBits;
    public const ulong PersonMask = (1UL << PersonBits) - 1;
    /// <summary>The duration field's largest value: the stay's duration is in the long-stay table.</summary>
    public const int DurationMask = (1 << DurationBits) - 1;
    private const int Sample = 64;

    private readonly VenueDirectory _venues;
    private readonly PersonDirectory _people;
    private readonly Dictionary<int, int> _longStays;
    private readonly int[] _samples;       // the start of every 64th row: a binary search reads these few lines first
    private readonly int[] _sampleSlots;   // the venue slot of every 64th row: finding a row's venue reads one or two entries

    /// <param name="venueIds">The venues present, ascending.</param>
    /// <param name="venueStarts">Where each one's rows begin.</param>
    private IndexSegment(long origin, long rangeEnd, ulong[] rows, int[] venueIds, int[] venueStarts, Dictionary<int, int> longStays)
    {
        Origin = origin;
        RangeEnd = rangeEnd;
        Rows = rows;
        _longStays = longStays;
        _samples = new int[(rows.Length + Sample - 1) / Sample];
        _sampleSlots = new int[_samples.Length];
        var maxStays = new int[venueIds.Length];
        for (var k = 0; k < venueIds.Length; k++)
        {
            var end = k + 1 < venueIds.Length ? venueStarts[k + 1] : rows.Length;
            for (var i = venueStarts[k]; i < end; i++)
            {
                maxStays[k] = Math.Max(maxStays[k], DurationAt(i));
            }
            MaxStay = Math.Max(MaxStay, maxStays[k]);
        }
        _venues = new VenueDirectory(venueIds, venueStarts, maxStays, rows.Length);
        for (var k = 0; k < venueIds.Length; k++)
        {
            var slot = _venues.SlotOfPresent(venueIds[k]);
            var end = k + 1 < venueIds.Length ? venueStarts[k + 1] : rows.Length;
            for (var i = (venueStarts[k] + Sample - 1) / Sample * Sample; i < end; i += Sample)
            {
                _samples[i / Sample] = Start(rows[i]);
                _sampleSlots[i / Sample] = slot;
            }
        }
        _people = new PersonDirectory(rows, Person);
    }

    /// <summary>Unix seconds that row starts count from.</summary>
    public long Origin { get; }

    /// <summary>Every row starts before this (Unix seconds).</summary>
    public long RangeEnd { get; }

    public readonly ulong[] Rows;

    public int Count => Rows.Length;

    public int VenueLimit => _venues.Limit;

    public int PersonLimit => _people.Limit;

    /// <summary>The longest stay in the segment, seconds.</summary>
    public int MaxStay { get; }

    public long Bytes =>
        Rows.Length * 8L + _people.Bytes + _venues.Bytes + (_samples.Length + _sampleSlots.Length) * 4L + _longStays.Count * 24L;

    public static int Person(ulong row) => (int)(row & PersonMask);

    /// <summary>Start after <see cref="Origin"/>, seconds.</summary>
    public static int Start(ulong row) => (int)(row >> StartShift);

    public int DurationAt(int i)
    {
        var d = (int)(Rows[i] >> PersonBits) & DurationMask;
        return d == DurationMask ? _longStays[i] : d;
    }

    /// <summary>The duration of row <paramref name="i"/> whose duration field is <see cref="DurationMask"/>.</summary>
    public int LongStay(int i) => _longStays[i];

    public long StartAt(int i) => Origin + Start(Rows[i]);

    public long EndAt(int i) => StartAt(i) + DurationAt(i);

    public (int Lo, int Hi) VenueRange(int venue) => _venues.Range(venue);

    public int VenueMaxStay(int venue) => _venues.MaxStay(venue);

    /// <summary>The venue of row <paramref name="i"/>: between the venues of the samples around it.</summary>
    public int VenueOf(int i)
    {
        var k = i / Sample;
        var hi = k + 1 < _sampleSlots.Length ? _sampleSlots[k + 1] : _venues.Slots - 1;
        return _venues.IdOfSlot(_venues.SlotOfRow(i, _sampleSlots[k], hi));
    }

    public Positions PositionsOf(int person) => _people.PositionsOf(person);

    /// <summary>Sets, in a bitmap of this segment's rows, the rows of the given people.</summary>
    public void MarkRowsOf(int[] people, ulong[] marks)
    {
        foreach (var p in people)
        {
            foreach (var i in PositionsOf(p))
            {
                marks[i >> 6] |= 1UL << i;
            }
        }
    }

    /// <summary>
    /// The first position in [lo, hi) (one venue's rows) whose start (after the origin) is at least
    /// <paramref name="relative"/>: a binary search over the sampled starts of every 64th row, then
    /// over the at most 64 rows between two samples, so that few cache lines of the rows are read.
    /// </summary>
    public int FirstStartingAtOrAfter(int lo, int hi, long relative)
    {
        if (relative <= 0)
        {
            return lo;
        }
        if (relative >= MaxSpan)
        {
            return hi;
        }
        // Samples at positions k·64 inside [lo, hi): k in [kLo, kHi).
        var kLo = (lo + Sample - 1) / Sample;
        var kHi = (hi + Sample - 1) / Sample;
        var a = kLo + Sorted.LowerBound<int>(_samples.AsSpan(kLo, kHi - kLo), (int)relative);
        // Rows before sample a start before `relative`; the row at sample a (if any) does not.
        var from = a == kLo ? lo : Math.Max(lo, (a - 1) * Sample + 1);
        var to = a == kHi ? hi : Math.Min(hi, a * Sample);
        return from + Sorted.LowerBound<ulong>(Rows.AsSpan(from, to - from), (ulong)relative << StartShift);
    }

    /// <summary>
    /// A segment from check-ins given in any order: (venue, person, start, end) with every start in
    /// [origin, rangeEnd), rangeEnd − origin ≤ 2^17 s.
    /// </summary>
    public static IndexSegment Build(long origin, long rangeEnd, ReadOnlySpan<int> venue, ReadOnlySpan<int> person, ReadOnlySpan<long> start, ReadOnlySpan<long> end)
    {
        var n = venue.Length;
        var keys = new ulong[n];
        var order = new int[n];
        for (var i = 0; i < n; i++)
        {
            keys[i] = ((ulong)(uint)venue[i] << 32) | (uint)(start[i] - origin);
            order[i] = i;
        }
        Array.Sort(keys, order);
        var v = new int[n];
        var rows = new ulong[n];
        var longStays = new Dictionary<int, int>();
        for (var i = 0; i < n; i++)
        {
            var j = order[i];
            v[i] = venue[j];
            rows[i] = Pack(start[j] - origin, end[j] - start[j], person[j], i, longStays);
        }
        return Finish(origin, rangeEnd, v, rows, longStays);
    }

    /// <summary>A segment from one day's columns already sorted by (venue, start), as the store keeps them.</summary>
    public static IndexSegment FromSortedDay(DayColumns day, Func<int, int>? canon)
    {
        var n = day.Venue.Length;
        var rows = new ulong[n];
        var longStays = new Dictionary<int, int>();
        for (var i = 0; i < n; i++)
        {
            var p = canon is null ? day.Person[i] : canon(day.Person[i]);
            rows[i] = Pack(day.Start[i], day.Duration[i], p, i, longStays);
        }
        return Finish(day.DayStart, day.DayEnd, day.Venue, rows, longStays);
    }

    private static ulong Pack(long start, long duration, int person, int position, Dictionary<int, int> longStays)
    {
        if (start < 0 || start >= MaxSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(start), "A check-in lies outside its day.");
        }
        if (duration < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), "A check-out precedes its check-in.");
        }
        if ((uint)person > PersonMask)
        {
            throw new ArgumentOutOfRangeException(nameof(person), "Person ids must fit in 30 bits.");
        }
        var d = (int)Math.Min(duration, DurationMask);
        if (d == DurationMask)
        {
            longStays[position] = checked((int)duration);
        }
        return ((ulong)start << StartShift) | ((ulong)d << PersonBits) | (uint)person;
    }

    /// <summary>The venues present from the (sorted) venue column; rows of a venue sorted by word where ties made them unsorted.</summary>
    private static IndexSegment Finish(long origin, long rangeEnd, int[] venue, ulong[] rows, Dictionary<int, int> longStays)
    {
        if (rangeEnd - origin > MaxSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(rangeEnd), "A segment spans at most 2^17 seconds.");
        }
        var ids = new List<int>();
        var starts = new List<int>();
        for (var i = 0; i < venue.Length; i++)
        {
            if (i == 0 || venue[i] != venue[i - 1])
            {
                ids.Add(venue[i]);
                starts.Add(i);
            }
        }
        for (var k = 0; k < ids.Count; k++)
        {
            SortIfNeeded(rows, starts[k], k + 1 < ids.Count ? starts[k + 1] : rows.Length, longStays);
        }
        return new IndexSegment(origin, rangeEnd, rows, [.. ids], [.. starts], longStays);
    }

    private static void SortIfNeeded(ulong[] rows, int lo, int hi, Dictionary<int, int> longStays)
    {
        for (var i = lo + 1; i < hi; i++)
        {
            if (rows[i] < rows[i - 1])
            {
                if (longStays.Count == 0)
                {
                    Array.Sort(rows, lo, hi - lo);
                    return;
                }
                // Long stays are kept by position: carry them along.
                var positions = Enumerable.Range(lo, hi - lo).ToArray();
                rows.AsSpan(lo, hi - lo).Sort(positions.AsSpan());
                var moved = new List<(int, int)>();
                for (var k = lo; k < hi; k++)
                {
                    if (longStays.Remove(positions[k - lo], out var d))
                    {
                        moved.Add((k, d));
                    }
                }
                foreach (var (k, d) in moved)
                {
                    longStays[k] = d;
                }
                return;
            }
        }
    }

    /// <summary>
    /// This segment with <paramref name="added"/>'s rows merged in (same origin): one linear merge per
    /// venue; rows equal in every field to one already held are kept once.
    /// </summary>
    public IndexSegment Merge(IndexSegment added)
    {
        var rows = new ulong[Count + added.Count];
        var ids = new List<int>();
        var starts = new List<int>();
        var longStays = new Dictionary<int, int>();
        var n = 0;
        // Venues present in either, in id order: walk both slot lists.
        var (a, b) = (0, 0);
        while (a < _venues.Slots || b < added._venues.Slots)
        {
            var va = a < _venues.Slots ? _venues.IdOfSlot(a) : int.MaxValue;
            var vb = b < added._venues.Slots ? added._venues.IdOfSlot(b) : int.MaxValue;
            var v = Math.Min(va, vb);
            var (i, ie) = va == v ? (_venues.LoOfSlot(a), _venues.LoOfSlot(a + 1)) : (0, 0);
            var (j, je) = vb == v ? (added._venues.LoOfSlot(b), added._venues.LoOfSlot(b + 1)) : (0, 0);
            a += va == v ? 1 : 0;
            b += vb == v ? 1 : 0;
            if (i == ie && j == je)
            {
                continue;   // a venue without rows (a slot of a table by id)
            }
            ids.Add(v);
            starts.Add(n);
            var last = ulong.MaxValue;
            var lastDuration = -1;
            while (i < ie || j < je)
            {
                var fromMine = j >= je || (i < ie && Rows[i] <= added.Rows[j]);
                var (row, duration) = fromMine ? (Rows[i], DurationAt(i++)) : (added.Rows[j], added.DurationAt(j++));
                if (row == last && duration == lastDuration)
                {
                    continue;
                }
                if (duration >= DurationMask)
                {
                    longStays[n] = duration;
                }
                rows[n++] = last = row;
                lastDuration = duration;
            }
        }
        Array.Resize(ref rows, n);
        return new IndexSegment(Origin, RangeEnd, rows, [.. ids], [.. starts], longStays);
    }
}

/// <summary>
/// One local day of check-ins as the check-in store keeps them: columns sorted by (venue, start), times
/// in seconds after <see cref="DayStart"/>; <see cref="DayEnd"/> is the next local midnight.
/// </summary>
public readonly record struct DayColumns(long DayStart, long DayEnd, int[] Venue, int[] Person, int[] Start, int[] Duration);
