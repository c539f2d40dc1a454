namespace Fangkong.Tracing;

/// <summary>
/// Finds close and secondary contacts of cases (SPEC C3 and the batch contract 4.2):
/// <list type="bullet">
/// <item>close: a check-in at the same venue overlapping one of the case's check-ins, clipped to the
/// case's window, by at least the venue type's minimum; or a manual exposure with the case that
/// intersects the window by any positive length;</item>
/// <item>secondary: the same rules applied to each close contact over [e, q), e being the close
/// contact's earliest qualifying overlap start and q its control time; not cases, not close contacts;</item>
/// <item>grid co-presence (时空伴随): a stay in the same grid cell as one of the case's stays there, clipped to
/// the case's window, overlapping it by more than the policy's grid minimum, when the person is not a case, a close or a secondary contact;</item>
/// <item>general: a stay at the same venue overlapping a case's stay inside its window for less than
/// the minimum (any positive length), when the person is none of the above;</item>
/// <item>each person once, highest tier; the earliest qualifying overlap decides index and via; the latest one's end is kept as the last exposure.</item>
/// </list>
/// Cost: for each check-in of a traced person, one binary search in its venue plus a scan of the
/// stays that can overlap; manual exposures are grouped by person once.
/// </summary>
public sealed class TracingEngine
{
    private readonly CheckinIndex _index;
    private readonly ExposureIndex _exposures;
    private readonly Func<int, long> _minimumOverlapSeconds;
    private readonly Dictionary<int, List<TransportLeg>> _legsByPerson = [];
    private readonly Dictionary<(TransportMode, string, long), List<TransportLeg>> _legsByTrip = [];
    private readonly Policies.TransportRule? _transport;
    private readonly GridStays? _grid;

    /// <param name="minimumOverlapSeconds">The minimum co-presence for a venue (by its type, from the policy).</param>
    /// <param name="legs">Journeys on flights, trains and coaches; with <paramref name="transport"/>, the policy's rules for them.</param>
    /// <param name="grid">The operator's dwell records in grid cells, with the policy's rule for them; none means no grid co-presence.</param>
    public TracingEngine(CheckinIndex index, IEnumerable<ManualExposure> exposures, Func<int, long> minimumOverlapSeconds, IEnumerable<TransportLeg>? legs = null, Policies.TransportRule? transport = null, GridStays? grid = null)
    {
        _index = index;
        _grid = grid;
        _minimumOverlapSeconds = minimumOverlapSeconds;
        _transport = transport;
        _exposures = new ExposureIndex(exposures);
        foreach (var leg in legs ?? [])
        {
            (_legsByPerson.TryGetValue(leg.Person, out var mine) ? mine : _legsByPerson[leg.Person] = []).Add(leg);
            (_legsByTrip.TryGetValue(leg.Trip, out var trip) ? trip : _legsByTrip[leg.Trip] = []).Add(leg);
        }
    }

    /// <summary>
    /// Whether sharing a trip makes a close contact (policy table): flight within N rows either side,
    /// train in the same car, sealed coach everyone. Otherwise the shared trip is a general contact.
    /// </summary>
    private bool CloseOnBoard(TransportLeg a, TransportLeg b) => _transport is { } rule && a.Mode switch
    {
        TransportMode.Flight => a.Row is { } x && b.Row is { } y && Math.Abs(x - y) <= rule.FlightRowsEitherSide,
        TransportMode.Train => !rule.TrainSameCar || (a.Car is not null && string.Equals(a.Car, b.Car, StringComparison.OrdinalIgnoreCase)),
        _ => rule.SealedCoachEveryone,
    };

    private static string Describe(TransportLeg leg) =>
        $"{leg.Mode.ToString().ToLowerInvariant()} {leg.Number}" + (leg.Car is { } car ? $" car {car}" : "") + (leg.Row is { } row ? $" row {row}" : "") + (leg.Seat is { } seat ? $" seat {seat}" : "");

    /// <param name="controlTime">q for a close contact (their finding: who, and when the exposure began): when the control order that followed put them under control, else the as-of time.</param>
    /// <param name="only">Trace only these of the cases (the others are still cases: never contacts); null: all of them.</param>
    public IReadOnlyList<ContactFinding> Trace(IReadOnlyList<TraceCase> cases, Func<ContactFinding, long> controlTime, IReadOnlySet<int>? only = null)
    {
        var isCase = new CaseSet(cases);
        var found = new FindingTable();
        var general = new FindingTable();
        var traced = only is null ? cases : [.. cases.Where(c => only.Contains(c.Person))];
        foreach (var c in traced)
        {
            if (!c.Window.IsEmpty)
            {
                Expose(ContactTier.Close, c.Person, c.Person, -1, c.Window.Start, c.Window.End, isCase, found, general);
            }
        }
        var closeFindings = found.Findings(ContactTier.Close);
        // Secondary contacts: the close contacts in parts, one per core, each part into its own copy of the
        // close contacts (which keep their tier), merged at the end; the result does not depend on the parts.
        var sources = closeFindings.Select(k => (Close: k, Q: controlTime(k))).Where(x => x.Q > x.Close.Start).ToArray();
        var parts = sources.Length < 1_000 ? 1 : Math.Min(Environment.ProcessorCount, 8);
        var tables = new FindingTable[parts];
        Parallel.For(0, parts, part =>
        {
            var table = parts == 1 ? found : found.Clone();
            for (var i = part; i < sources.Length; i += parts)
            {
                var (k, q) = sources[i];
                Expose(ContactTier.Secondary, k.Person, k.IndexPerson, k.Person, k.Start, q, isCase, table);
            }
            tables[part] = table;
        });
        foreach (var table in tables.Where(t => t != found))
        {
            found.Add(table);
        }
        var grid = new FindingTable();
        if (_grid is { } g)
        {
            foreach (var c in traced.Where(c => !c.Window.IsEmpty))
            {
                ExposeInGrid(g, c, isCase, found, grid);
            }
        }
        var generalOnly = general.Findings(ContactTier.General).Where(x => !found.Contains(x.Person) && !grid.Contains(x.Person));
        return [.. closeFindings, .. found.Findings(ContactTier.Secondary), .. grid.Findings(ContactTier.Grid), .. generalOnly];
    }

    /// <summary>The cases of a trace, for a test on every offer.</summary>
    private sealed class CaseSet(IReadOnlyList<TraceCase> cases)
    {
        private readonly bool[] _is = Mark(cases);

        private static bool[] Mark(IReadOnlyList<TraceCase> cases)
        {
            var marks = new bool[cases.Count == 0 ? 0 : cases.Max(c => c.Person) + 1];
            foreach (var c in cases)
            {
                marks[c.Person] = true;
            }
            return marks;
        }

        public bool Contains(int person) => (uint)person < (uint)_is.Length && _is[person];
    }

    /// <summary>Everyone whose stay in one of the case's grid cells overlaps the case's stay there, inside its window, by more than the grid minimum, who is not a case, a close or a secondary contact.</summary>
    private static void ExposeInGrid(GridStays grid, TraceCase c, CaseSet isCase, FindingTable contacts, FindingTable found)
    {
        foreach (var mine in grid.Stays.StaysOf(c.Person))
        {
            var a = Math.Max(mine.Start, c.Window.Start);
            var b = Math.Min(mine.End, c.Window.End);
            if (!grid.Rule.Qualifies(b - a))
            {
                continue;
            }
            var state = (Case: c.Person, A: a, B: b, Cell: mine.Venue, Rule: grid.Rule, IsCase: isCase, Contacts: contacts, Found: found);
            grid.Stays.AtVenue(mine.Venue, a, b, ref state, static (int other, long otherStart, long otherEnd, ref (int Case, long A, long B, int Cell, Policies.GridRule Rule, CaseSet IsCase, FindingTable Contacts, FindingTable Found) s) =>
            {
                var start = Math.Max(s.A, otherStart);
                var end = Math.Min(s.B, otherEnd);
                if (other != s.Case && s.Rule.Qualifies(end - start) && !s.IsCase.Contains(other) && !s.Contacts.Contains(other))
                {
                    s.Found.Offer(ContactTier.Grid, other, s.Case, -1, -1, s.Cell, start, end);
                }
            });
        }
    }

    /// <summary>Everyone exposed to <paramref name="source"/> during [from, to), offered at <paramref name="tier"/> with its index and via (a person held at a higher tier keeps it).</summary>
    /// <param name="general">When given, shorter co-presence (under the minimum) is collected there as general contacts.</param>
    private void Expose(ContactTier tier, int source, int index, int via, long from, long to, CaseSet isCase, FindingTable found, FindingTable? general = null)
    {
        foreach (var mine in _index.StaysOf(source))
        {
            var a = Math.Max(mine.Start, from);
            var b = Math.Min(mine.End, to);
            var venue = mine.Venue;
            var minimum = _minimumOverlapSeconds(venue);
            if (b - a < minimum && (general is null || b <= a))
            {
                continue;
            }
            var state = (Tier: tier, Source: source, Index: index, Via: via, A: a, B: b, Minimum: minimum, Venue: venue, IsCase: isCase, Found: found, General: general);
            _index.AtVenue(venue, a, b, ref state, static (int other, long otherStart, long otherEnd, ref (ContactTier Tier, int Source, int Index, int Via, long A, long B, long Minimum, int Venue, CaseSet IsCase, FindingTable Found, FindingTable? General) s) =>
            {
                var start = Math.Max(s.A, otherStart);
                var end = Math.Min(s.B, otherEnd);
                if (other == s.Source || end <= start || s.IsCase.Contains(other))
                {
                    return;
                }
                if (end - start >= s.Minimum)
                {
                    s.Found.Offer(s.Tier, other, s.Index, s.Via, s.Venue, -1, start, end);
                }
                else
                {
                    s.General?.Offer(ContactTier.General, other, s.Index, s.Via, s.Venue, -1, start, end);
                }
            });
        }
        foreach (var e in _exposures.Of(source))
        {
            var start = Math.Max(e.Start, from);
            var end = Math.Min(e.End, to);
            var other = e.A == source ? e.B : e.A;
            if (end > start && !isCase.Contains(other))
            {
                found.Offer(tier, other, index, via, -1, -1, start, end);
            }
        }
        foreach (var leg in _legsByPerson.GetValueOrDefault(source) ?? [])
        {
            var start = Math.Max(leg.Departure, from);
            var end = Math.Min(leg.Arrival, to);
            if (end <= start)
            {
                continue;
            }
            foreach (var other in _legsByTrip[leg.Trip])
            {
                if (other.Person == source || isCase.Contains(other.Person))
                {
                    continue;
                }
                if (CloseOnBoard(leg, other))
                {
                    found.Offer(tier, other.Person, index, via, -1, -1, start, end, Describe(other));
                }
                else
                {
                    general?.Offer(ContactTier.General, other.Person, index, via, -1, -1, start, end, Describe(other));
                }
            }
        }
    }
}
