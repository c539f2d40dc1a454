namespace Fangkong.Tracing;

/// <summary>
/// The contacts found while a trace runs: for each person the earliest qualifying overlap so far (ties
/// broken by earlier end, then index, via, venue and cell, so that results never depend on the order of
/// the offers) and the end of the latest one. A person holds one tier: once close, offers of a lower tier
/// are ignored (a close contact is never secondary). A large trace makes tens of millions of offers, most
/// of them no earlier than what is held: each reads one int per person and one 16-byte entry, with no
/// allocation; findings are made once, at the end.
/// </summary>
internal sealed class FindingTable
{
    // By person id (the store's dense row ids): the tier and slot held, and the earliest start and latest end
    // so far, so that an offer no earlier than what is held touches one 24-byte entry.
    private struct Held
    {
        public int Code;   // (1 + slot) << 2 | tier; 0: nothing held
        public long Start;
        public long Last;
    }

    // By slot: the rest of the earliest overlap.
    private struct Evidence
    {
        public int Person;
        public int Index;
        public int Via;
        public int Venue;
        public int Cell;
        public long End;
        public string? Transport;
    }

    private Held[] _held = new Held[1024];
    private Evidence[] _evidence = new Evidence[256];
    private int _count;

    private const int TierBits = 2;
    private const int TierMask = 3;

    public bool Contains(int person) => (uint)person < (uint)_held.Length && _held[person].Code != 0;

    /// <summary>Offers a qualifying overlap at a tier; -1 stands for no via, venue or cell. A person held at another tier keeps it.</summary>
    public void Offer(ContactTier tier, int person, int index, int via, int venue, int cell, long start, long end, string? transport = null)
    {
        if ((uint)person >= (uint)_held.Length)
        {
            Array.Resize(ref _held, Math.Max(person + 1, _held.Length * 2));
        }
        ref var held = ref _held[person];
        if (held.Code == 0)
        {
            if (_count == _evidence.Length)
            {
                Array.Resize(ref _evidence, _count * 2);
            }
            _evidence[_count] = new Evidence { Person = person, Index = index, Via = via, Venue = venue, Cell = cell, End = end, Transport = transport };
            held = new Held { Code = (++_count << TierBits) | (int)tier, Start = start, Last = end };
            return;
        }
        if ((ContactTier)(held.Code & TierMask) != tier)
        {
            // The engine finds the tiers highest first: a person already held keeps their tier.
            return;
        }
        var slot = (held.Code >> TierBits) - 1;
        if (end > held.Last)
        {
            held.Last = end;
        }
        if (start > held.Start)
        {
            return;
        }
        ref var e = ref _evidence[slot];
        if (start < held.Start || (end, index, via, venue, cell).CompareTo((e.End, e.Index, e.Via, e.Venue, e.Cell)) < 0)
        {
            held.Start = start;
            (e.Index, e.Via, e.Venue, e.Cell, e.End, e.Transport) = (index, via, venue, cell, end, transport);
        }
    }

    /// <summary>A copy to offer into on another thread.</summary>
    public FindingTable Clone() => new()
    {
        _held = (Held[])_held.Clone(),
        _evidence = (Evidence[])_evidence.Clone(),
        _count = _count,
    };

    /// <summary>Merges another table's findings into this one, as if its offers had been made here.</summary>
    public void Add(FindingTable other)
    {
        for (var i = 0; i < other._count; i++)
        {
            var e = other._evidence[i];
            var h = other._held[e.Person];
            var tier = (ContactTier)(h.Code & TierMask);
            Offer(tier, e.Person, e.Index, e.Via, e.Venue, e.Cell, h.Start, e.End, e.Transport);
            ref var mine = ref _held[e.Person];
            if ((ContactTier)(mine.Code & TierMask) == tier && h.Last > mine.Last)
            {
                mine.Last = h.Last;
            }
        }
    }

    /// <summary>The findings of one tier, in person order.</summary>
    public List<ContactFinding> Findings(ContactTier tier)
    {
        var list = new List<ContactFinding>();
        for (var i = 0; i < _count; i++)
        {
            ref var e = ref _evidence[i];
            var h = _held[e.Person];
            if ((ContactTier)(h.Code & TierMask) != tier)
            {
                continue;
            }
            list.Add(new ContactFinding(e.Person, tier, e.Index, e.Via < 0 ? null : e.Via, e.Venue < 0 ? null : e.Venue, h.Start, e.End)
            {
                Cell = e.Cell < 0 ? null : e.Cell,
                Transport = e.Transport,
                LastExposureEnd = h.Last == e.End ? null : h.Last,
            });
        }
        list.Sort((x, y) => x.Person.CompareTo(y.Person));
        return list;
    }
}
