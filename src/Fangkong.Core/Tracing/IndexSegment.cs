namespace Fangkong.Tracing;

/// <summary>
/// The check-ins of one day of a <see cref="CheckinIndex"/>: every check-in starts in
/// [<see cref="Origin"/>, <see cref="RangeEnd"/>). Rows are 64-bit words sorted by (venue, word):
/// start after the origin (17 bits, seconds), duration (17 bits, seconds; the largest value means
/// "look in the long-stay table") and person (30 bits), so ordering the words orders by start. A
/// venue's rows are found through an offset table; a person's through a posting list of positions
/// grouped by person, addressed by a count byte per person and a base per block of 64 people.
/// About 12 bytes a check-in.
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
    private const int Block = 64;
    private const int Sample = 64;

    private readonly VenueEntry[] _venues;   // a venue's first row and longest stay; one more entry ends the last venue
    private readonly int[] _postings;
    private readonly byte[] _counts;
    private readonly int[] _blockBase;
    private readonly int[]? _personOffsets;   // instead of counts and bases when someone has over 255 check-ins
    private readonly Dictionary<int, int> _longStays;
    private readonly int[] _samples;   // the start of every 64th row: a binary search reads these few lines first
    private readonly int[] _sampleVenues;   // the venue of every 64th row: finding a row's venue reads one or two entries

    private IndexSegment(long origin, long rangeEnd, ulong[] rows, int[] venueOffsets, Dictionary<int, int> longStays)
    {
        Origin = origin;
        RangeEnd = rangeEnd;
        Rows = rows;
        _longStays = longStays;
        _samples = new int[(rows.Length + Sample - 1) / Sample];
        _sampleVenues = new int[_samples.Length];
        var venues = venueOffsets.Length - 1;
        _venues = new VenueEntry[venues + 1];
        var personLimit = 0;
        for (var v = 0; v < venues; v++)
        {
            var max = 0;
            for (var i = venueOffsets[v]; i < venueOffsets[v + 1]; i++)
            {
                max = Math.Max(max, DurationAt(i));
                personLimit = Math.Max(personLimit, (int)(rows[i] & PersonMask) + 1);
                if (i % Sample == 0)
                {
                    _samples[i / Sample] = Start(rows[i]);
                    _sampleVenues[i / Sample] = v;
                }
            }
            _venues[v] = new VenueEntry(venueOffsets[v], max);
            MaxStay = Math.Max(MaxStay, max);
        }
        _venues[venues] = new VenueEntry(rows.Length, 0);
        // Postings: positions grouped by person, in position order within a person (a counting sort).
        var offsets = new int[personLimit + 1];
        foreach (var row in rows)
        {
            offsets[(int)(row & PersonMask) + 1]++;
        }
        var many = false;
        for (var p = 0; p < personLimit; p++)
        {
            many |= offsets[p + 1] > byte.MaxValue;
            offsets[p + 1] += offsets[p];
        }
        _postings = new int[rows.Length];
        var fill = new int[personLimit];
        Array.Copy(offsets, fill, personLimit);
        for (var i = 0; i < rows.Length; i++)
        {
            _postings[fill[(int)(rows[i] & PersonMask)]++] = i;
        }
        if (many)
        {
            _personOffsets = offsets;
            _counts = [];
            _blockBase = [];
        }
        else
        {
            _counts = new byte[personLimit];
            _blockBase = new int[(personLimit + Block - 1) / Block];
            for (var p = 0; p < personLimit; p++)
            {
                _counts[p] = (byte)(offsets[p + 1] - offsets[p]);
                if (p % Block == 0)
                {
                    _blockBase[p / Block] = offsets[p];
                }
            }
        }
    }

    /// <summary>Unix seconds that row starts count from.</summary>
    public long Origin { get; }

    /// <summary>Every row starts before this (Unix seconds).</summary>
    public long RangeEnd { get; }

    public readonly ulong[] Rows;

    public int Count => Rows.Length;

    public int VenueLimit => _venues.Length - 1;

    public int PersonLimit => _personOffsets is { } o ? o.Length - 1 : _counts.Length;

    /// <summary>The longest stay in the segment, seconds.</summary>
    public int MaxStay { get; }

    public long Bytes =>
        Rows.Length * 8L + _postings.Length * 4L + _venues.Length * 8L + (_blockBase.Length + _samples.Length + _sampleVenues.Length) * 4L
        + _counts.Length + (_personOffsets?.Length ?? 0) * 4L + _longStays.Count * 24L;

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

    public (int Lo, int Hi) VenueRange(int venue) =>
        (uint)venue < (uint)VenueLimit ? (_venues[venue].Lo, _venues[venue + 1].Lo) : (0, 0);

    public int VenueMaxStay(int venue) => (uint)venue < (uint)VenueLimit ? _venues[venue].MaxStay : 0;

    /// <summary>The venue of row <paramref name="i"/>: between the venues of the samples around it.</summary>
    public int VenueOf(int i)
    {
        var k = i / Sample;
        var lo = _sampleVenues[k];
        var hi = k + 1 < _sampleVenues.Length ? _sampleVenues[k + 1] : VenueLimit - 1;
        // The last venue in [lo, hi] whose first row is at or before i.
        while (lo < hi)
        {
            var mid = (int)((uint)(lo + hi + 1) >> 1);
            if (_venues[mid].Lo <= i)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return lo;
    }

    public ReadOnlySpan<int> PositionsOf(int person)
    {
        if (person < 0 || person >= PersonLimit)
        {
            return [];
        }
        if (_personOffsets is { } o)
        {
            return _postings.AsSpan(o[person], o[person + 1] - o[person]);
        }
        var from = _blockBase[person / Block];
        for (var p = person / Block * Block; p < person; p++)
        {
            from += _counts[p];
        }
        return _postings.AsSpan(from, _counts[person]);
    }

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
        var samples = _samples;
        var a = kLo;
        var b = kHi;
        while (a < b)
        {
            var mid = (int)((uint)(a + b) >> 1);
            if (samples[mid] < relative)
            {
                a = mid + 1;
            }
            else
            {
                b = mid;
            }
        }
        // Rows before sample a start before `relative`; the row at sample a (if any) does not.
        var from = a == kLo ? lo : Math.Max(lo, (a - 1) * Sample + 1);
        var to = a == kHi ? hi : Math.Min(hi, a * Sample);
        var key = (ulong)relative << StartShift;
        var rows = Rows;
        while (from < to)
        {
            var mid = (int)((uint)(from + to) >> 1);
            if (rows[mid] < key)
            {
                from = mid + 1;
            }
            else
            {
                to = mid;
            }
        }
        return from;
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

    /// <summary>Offsets from the (sorted) venue column; rows of a venue sorted by word where ties made them unsorted.</summary>
    private static IndexSegment Finish(long origin, long rangeEnd, int[] venue, ulong[] rows, Dictionary<int, int> longStays)
    {
        if (rangeEnd - origin > MaxSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(rangeEnd), "A segment spans at most 2^17 seconds.");
        }
        var venues = venue.Length == 0 ? 0 : venue[^1] + 1;
        var offsets = new int[venues + 1];
        foreach (var v in venue)
        {
            offsets[v + 1]++;
        }
        for (var v = 0; v < venues; v++)
        {
            offsets[v + 1] += offsets[v];
            SortIfNeeded(rows, offsets[v], offsets[v + 1], longStays);
        }
        return new IndexSegment(origin, rangeEnd, rows, offsets, longStays);
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
        var venues = Math.Max(VenueLimit, added.VenueLimit);
        var rows = new ulong[Count + added.Count];
        var offsets = new int[venues + 1];
        var longStays = new Dictionary<int, int>();
        var n = 0;
        for (var v = 0; v < venues; v++)
        {
            var (i, ie) = VenueRange(v);
            var (j, je) = added.VenueRange(v);
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
            offsets[v + 1] = n;
        }
        Array.Resize(ref rows, n);
        return new IndexSegment(Origin, RangeEnd, rows, offsets, longStays);
    }
}

/// <summary>Where a venue's rows begin in a segment, and its longest stay there (seconds).</summary>
internal readonly record struct VenueEntry(int Lo, int MaxStay);

/// <summary>
/// One local day of check-ins as the check-in store keeps them: columns sorted by (venue, start), times
/// in seconds after <see cref="DayStart"/>; <see cref="DayEnd"/> is the next local midnight.
/// </summary>
public readonly record struct DayColumns(long DayStart, long DayEnd, int[] Venue, int[] Person, int[] Start, int[] Duration);
