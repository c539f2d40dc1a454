namespace Fangkong.Tracing;

/// <summary>
/// Check-ins held in memory for tracing, as columns sorted by (venue, check-in), with an offset
/// table per venue and a second permutation grouped by person. Times are 32-bit seconds after
/// <see cref="Origin"/> (the earliest check-in): 20 bytes a check-in in all. Finding who was at a
/// venue during [a, b) is a binary search plus a backward scan bounded by the venue's longest stay.
/// </summary>
public sealed class CheckinIndex
{
    private readonly int[] _venueOffsets;
    private readonly int[] _venueMaxStay;
    private readonly int[] _personOffsets;
    private readonly int[] _byPerson;

    public CheckinIndex(int[] venue, int[] person, long[] start, long[] end)
    {
        var n = venue.Length;
        var venueCount = n == 0 ? 1 : venue.Max() + 1;
        var personCount = n == 0 ? 1 : person.Max() + 1;
        var origin = n == 0 ? 0 : start.Min();
        // One primitive sort on (venue, seconds since the earliest check-in) packed in 64 bits.
        var keys = new ulong[n];
        var order = new int[n];
        for (var i = 0; i < n; i++)
        {
            keys[i] = ((ulong)(uint)venue[i] << 32) | checked((uint)(start[i] - origin));
            order[i] = i;
        }
        Array.Sort(keys, order);
        Origin = origin;
        Venue = new int[n];
        Person = new int[n];
        Start = new int[n];
        End = new int[n];
        for (var i = 0; i < n; i++)
        {
            var j = order[i];
            (Venue[i], Person[i], Start[i], End[i]) = (venue[j], person[j], checked((int)(start[j] - origin)), checked((int)(end[j] - origin)));
        }
        _venueOffsets = Offsets(Venue, venueCount);
        _venueMaxStay = new int[venueCount];
        for (var i = 0; i < n; i++)
        {
            _venueMaxStay[Venue[i]] = (int)Math.Max(_venueMaxStay[Venue[i]], End[i] - Start[i]);
        }
        _personOffsets = Offsets(Person, personCount);
        _byPerson = new int[n];
        var fill = (int[])_personOffsets.Clone();
        for (var i = 0; i < n; i++)
        {
            _byPerson[fill[Person[i]]++] = i;
        }
    }

    private static int[] Offsets(int[] keys, int count)
    {
        var offsets = new int[count + 1];
        foreach (var k in keys)
        {
            offsets[k + 1]++;
        }
        for (var i = 0; i < count; i++)
        {
            offsets[i + 1] += offsets[i];
        }
        return offsets;
    }

    public int[] Venue { get; }

    public int[] Person { get; }

    /// <summary>Unix seconds that <see cref="Start"/> and <see cref="End"/> count from.</summary>
    public long Origin { get; }

    /// <summary>Check-in times, seconds after <see cref="Origin"/>.</summary>
    public int[] Start { get; }

    /// <summary>Check-out times, seconds after <see cref="Origin"/>.</summary>
    public int[] End { get; }

    public long StartAt(int i) => Origin + Start[i];

    public long EndAt(int i) => Origin + End[i];

    public int Count => Venue.Length;

    /// <summary>Memory held by the index, per check-in (columns, person permutation and offset tables).</summary>
    public double BytesPerCheckin =>
        Count == 0 ? 0 : (Venue.Length * 4.0 + Person.Length * 4.0 + Start.Length * 4.0 + End.Length * 4.0 + _byPerson.Length * 4.0
                          + (_venueOffsets.Length + _venueMaxStay.Length + _personOffsets.Length) * 4.0) / Count;

    /// <summary>The positions of a person's check-ins.</summary>
    public ReadOnlySpan<int> OfPerson(int person) =>
        person + 1 < _personOffsets.Length ? _byPerson.AsSpan(_personOffsets[person], _personOffsets[person + 1] - _personOffsets[person]) : [];

    /// <summary>Calls <paramref name="visit"/> with each check-in at <paramref name="venue"/> that overlaps [a, b) (Unix seconds).</summary>
    public void AtVenue<TState>(int venue, long a, long b, ref TState state, VisitCheckin<TState> visit)
    {
        if (venue + 1 >= _venueOffsets.Length)
        {
            return;
        }
        a -= Origin;
        b -= Origin;
        var lo = _venueOffsets[venue];
        var hi = _venueOffsets[venue + 1];
        // First position whose start is >= b: everything before it starts before b.
        var idx = Array.BinarySearch(Start, lo, hi - lo, (int)Math.Clamp(b, int.MinValue, int.MaxValue));
        idx = idx < 0 ? ~idx : idx;
        while (idx > lo && Start[idx - 1] >= b)
        {
            idx--;
        }
        var earliest = a - _venueMaxStay[venue];
        for (var i = idx - 1; i >= lo && Start[i] >= earliest; i--)
        {
            if (End[i] > a)
            {
                visit(i, ref state);
            }
        }
    }
}

public delegate void VisitCheckin<TState>(int position, ref TState state);
