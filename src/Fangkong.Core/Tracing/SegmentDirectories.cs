namespace Fangkong.Tracing;

/// <summary>Where a venue's rows begin in a segment, and its longest stay there (seconds).</summary>
internal readonly record struct VenueEntry(int Lo, int MaxStay);

/// <summary>
/// A segment's venues: for each venue present, where its rows begin and its longest stay. A day holds
/// most venues, so its table is indexed by venue id (one read); a small segment (an append's tail)
/// lists only the venues it holds and is searched, so that it costs its own size, not the city's.
/// Slots number the venues present in order; the table has one more slot ending the last venue.
/// </summary>
internal sealed class VenueDirectory
{
    private readonly int[]? _ids;             // venue id of each slot; null when slots are venue ids
    private readonly VenueEntry[] _entries;

    public VenueDirectory(int[] ids, int[] starts, int[] maxStays, int rows)
    {
        var limit = ids.Length == 0 ? 0 : ids[^1] + 1;
        if (limit <= 2 * Math.Max(rows, 1))
        {
            // By id: absent venues take the next venue's start, so their range is empty.
            _entries = new VenueEntry[limit + 1];
            var k = ids.Length;
            _entries[limit] = new VenueEntry(rows, 0);
            for (var v = limit - 1; v >= 0; v--)
            {
                _entries[v] = k > 0 && ids[k - 1] == v ? new VenueEntry(starts[--k], maxStays[k]) : new VenueEntry(_entries[v + 1].Lo, 0);
            }
        }
        else
        {
            _ids = ids;
            _entries = new VenueEntry[ids.Length + 1];
            for (var k = 0; k < ids.Length; k++)
            {
                _entries[k] = new VenueEntry(starts[k], maxStays[k]);
            }
            _entries[ids.Length] = new VenueEntry(rows, 0);
        }
        Limit = limit;
    }

    /// <summary>One more than the largest venue id present.</summary>
    public int Limit { get; }

    public int Slots => _entries.Length - 1;

    public long Bytes => _entries.Length * 8L + (_ids?.Length ?? 0) * 4L;

    private int SlotOf(int venue)
    {
        if (_ids is null)
        {
            return (uint)venue < (uint)Limit ? venue : -1;
        }
        var k = Array.BinarySearch(_ids, venue);
        return k < 0 ? -1 : k;
    }

    public (int Lo, int Hi) Range(int venue) => SlotOf(venue) is var k and >= 0 ? (_entries[k].Lo, _entries[k + 1].Lo) : (0, 0);

    public int MaxStay(int venue) => SlotOf(venue) is var k and >= 0 ? _entries[k].MaxStay : 0;

    public int LoOfSlot(int slot) => _entries[slot].Lo;

    public int IdOfSlot(int slot) => _ids is null ? slot : _ids[slot];

    /// <summary>The slot holding row <paramref name="i"/>, searched in [lo, hi] (slots around it, from samples).</summary>
    public int SlotOfRow(int i, int lo, int hi)
    {
        // The last slot in [lo, hi] whose first row is at or before i (empty slots before it share its start).
        while (lo < hi)
        {
            var mid = (int)((uint)(lo + hi + 1) >> 1);
            if (_entries[mid].Lo <= i)
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

    /// <summary>The slot of a venue id present in the segment.</summary>
    public int SlotOfPresent(int venue) => SlotOf(venue);
}

/// <summary>
/// A segment's rows by person: positions grouped by person, in position order (three bytes each in a
/// segment of fewer than 2^24 rows). A day holds most people, so it keeps a count byte per person and
/// a base per block of 64 (about 1.1 bytes a person); a small segment lists only its people and is
/// searched.
/// </summary>
internal sealed class PersonDirectory
{
    private const int Block = 64;

    private readonly PostingList _postings;
    private readonly byte[]? _counts;
    private readonly int[]? _blockBase;
    private readonly int[]? _ids;        // sparse: the people present, ascending
    private readonly int[]? _offsets;    // sparse: where each one's positions begin (one more at the end); dense with someone over 255 rows: by id

    public PersonDirectory(ulong[] rows, Func<ulong, int> personOf)
    {
        var n = rows.Length;
        var limit = 0;
        foreach (var row in rows)
        {
            limit = Math.Max(limit, personOf(row) + 1);
        }
        Limit = limit;
        if (limit > 8 * Math.Max(n, 1))
        {
            // Sparse: sort (person, position) pairs.
            var keys = new ulong[n];
            for (var i = 0; i < n; i++)
            {
                keys[i] = ((ulong)(uint)personOf(rows[i]) << 32) | (uint)i;
            }
            Array.Sort(keys);
            var postings = new int[n];
            var ids = new List<int>();
            var offsets = new List<int>();
            for (var i = 0; i < n; i++)
            {
                var p = (int)(keys[i] >> 32);
                if (ids.Count == 0 || ids[^1] != p)
                {
                    ids.Add(p);
                    offsets.Add(i);
                }
                postings[i] = (int)(uint)keys[i];
            }
            offsets.Add(n);
            _postings = new PostingList(postings);
            (_ids, _offsets) = ([.. ids], [.. offsets]);
            return;
        }
        // Dense: a counting sort.
        var starts = new int[limit + 1];
        foreach (var row in rows)
        {
            starts[personOf(row) + 1]++;
        }
        var many = false;
        for (var p = 0; p < limit; p++)
        {
            many |= starts[p + 1] > byte.MaxValue;
            starts[p + 1] += starts[p];
        }
        var positions = new int[n];
        var fill = new int[limit];
        Array.Copy(starts, fill, limit);
        for (var i = 0; i < n; i++)
        {
            positions[fill[personOf(rows[i])]++] = i;
        }
        _postings = new PostingList(positions);
        if (many)
        {
            _offsets = starts;
            return;
        }
        _counts = new byte[limit];
        _blockBase = new int[(limit + Block - 1) / Block];
        for (var p = 0; p < limit; p++)
        {
            _counts[p] = (byte)(starts[p + 1] - starts[p]);
            if (p % Block == 0)
            {
                _blockBase[p / Block] = starts[p];
            }
        }
    }

    /// <summary>One more than the largest person id present.</summary>
    public int Limit { get; }

    public long Bytes => _postings.Bytes + (_counts?.Length ?? 0) + ((_blockBase?.Length ?? 0) + (_ids?.Length ?? 0) + (_offsets?.Length ?? 0)) * 4L;

    public Positions PositionsOf(int person)
    {
        if ((uint)person >= (uint)Limit)
        {
            return default;
        }
        if (_counts is { } counts && _blockBase is { } bases)
        {
            var from = bases[person / Block];
            for (var p = person / Block * Block; p < person; p++)
            {
                from += counts[p];
            }
            return _postings.Slice(from, counts[person]);
        }
        var o = _offsets!;
        if (_ids is null)
        {
            return _postings.Slice(o[person], o[person + 1] - o[person]);
        }
        var k = Array.BinarySearch(_ids, person);
        return k < 0 ? default : _postings.Slice(o[k], o[k + 1] - o[k]);
    }
}

/// <summary>Row positions, three bytes each while a segment holds fewer than 2^24 rows, else four.</summary>
internal sealed class PostingList
{
    private readonly byte[]? _narrow;
    private readonly int[]? _wide;

    public PostingList(int[] positions)
    {
        if (positions.Length >= 1 << 24)
        {
            _wide = positions;
            return;
        }
        _narrow = new byte[positions.Length * 3];
        for (var k = 0; k < positions.Length; k++)
        {
            var p = positions[k];
            (_narrow[3 * k], _narrow[3 * k + 1], _narrow[3 * k + 2]) = ((byte)p, (byte)(p >> 8), (byte)(p >> 16));
        }
    }

    public long Bytes => _narrow?.LongLength ?? _wide!.LongLength * 4;

    public Positions Slice(int from, int count) =>
        _narrow is { } narrow ? new Positions(narrow.AsSpan(3 * from, 3 * count), default) : new Positions(default, _wide.AsSpan(from, count));
}

/// <summary>Some row positions of a <see cref="PostingList"/>.</summary>
internal readonly ref struct Positions
{
    private readonly ReadOnlySpan<byte> _narrow;
    private readonly ReadOnlySpan<int> _wide;

    public Positions(ReadOnlySpan<byte> narrow, ReadOnlySpan<int> wide)
    {
        _narrow = narrow;
        _wide = wide;
    }

    public int Length => _narrow.Length / 3 + _wide.Length;

    public bool IsEmpty => Length == 0;

    public int this[int k] => _narrow.IsEmpty ? _wide[k] : _narrow[3 * k] | (_narrow[3 * k + 1] << 8) | (_narrow[3 * k + 2] << 16);

    public Enumerator GetEnumerator() => new(this);

    public ref struct Enumerator
    {
        private readonly Positions _positions;
        private int _k;

        public Enumerator(Positions positions)
        {
            _positions = positions;
            _k = -1;
        }

        public readonly int Current => _positions[_k];

        public bool MoveNext() => ++_k < _positions.Length;
    }
}
