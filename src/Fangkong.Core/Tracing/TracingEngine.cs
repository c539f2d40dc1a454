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
    public IReadOnlyList<ContactFinding> Trace(IReadOnlyList<TraceCase> cases, Func<ContactFinding, long> controlTime)
    {
        var isCase = cases.Select(c => c.Person).ToHashSet();
        var close = new Dictionary<int, ContactFinding>();
        var general = new Dictionary<int, ContactFinding>();
        foreach (var c in cases)
        {
            if (!c.Window.IsEmpty)
            {
                Expose(c.Person, c.Window.Start, c.Window.End, isCase, null, close, (other, venue, s, e) => new ContactFinding(other, ContactTier.Close, c.Person, null, venue, s, e), general);
            }
        }
        var secondary = new Dictionary<int, ContactFinding>();
        foreach (var k in close.Values.OrderBy(f => f.Person))
        {
            var q = controlTime(k);
            if (q > k.Start)
            {
                Expose(k.Person, k.Start, q, isCase, close, secondary, (other, venue, s, e) => new ContactFinding(other, ContactTier.Secondary, k.IndexPerson, k.Person, venue, s, e));
            }
        }
        var grid = new Dictionary<int, ContactFinding>();
        if (_grid is { } g)
        {
            foreach (var c in cases.Where(c => !c.Window.IsEmpty))
            {
                ExposeInGrid(g, c, isCase, close, grid);
            }
            foreach (var person in secondary.Keys)
            {
                grid.Remove(person);
            }
        }
        var generalOnly = general.Values.Where(x => !close.ContainsKey(x.Person) && !secondary.ContainsKey(x.Person) && !grid.ContainsKey(x.Person));
        return [.. close.Values, .. secondary.Values, .. grid.Values, .. generalOnly];
    }

    /// <summary>Everyone whose stay in one of the case's grid cells overlaps the case's stay there, inside its window, by more than the grid minimum.</summary>
    private static void ExposeInGrid(GridStays grid, TraceCase c, HashSet<int> isCase, Dictionary<int, ContactFinding> close, Dictionary<int, ContactFinding> found)
    {
        foreach (var mine in grid.Stays.StaysOf(c.Person))
        {
            var a = Math.Max(mine.Start, c.Window.Start);
            var b = Math.Min(mine.End, c.Window.End);
            if (!grid.Rule.Qualifies(b - a))
            {
                continue;
            }
            var state = (Case: c.Person, A: a, B: b, Cell: mine.Venue, Rule: grid.Rule, IsCase: isCase, Close: close, Found: found);
            grid.Stays.AtVenue(mine.Venue, a, b, ref state, static (int other, long otherStart, long otherEnd, ref (int Case, long A, long B, int Cell, Policies.GridRule Rule, HashSet<int> IsCase, Dictionary<int, ContactFinding> Close, Dictionary<int, ContactFinding> Found) s) =>
            {
                var start = Math.Max(s.A, otherStart);
                var end = Math.Min(s.B, otherEnd);
                if (other != s.Case && s.Rule.Qualifies(end - start))
                {
                    Offer(new ContactFinding(other, ContactTier.Grid, s.Case, null, null, start, end) { Cell = s.Cell }, s.IsCase, s.Close, s.Found);
                }
            });
        }
    }

    /// <summary>Everyone exposed to <paramref name="source"/> during [from, to), keeping each person's earliest qualifying overlap.</summary>
    /// <param name="general">When given, shorter co-presence (under the minimum) is collected there as general contacts.</param>
    private void Expose(int source, long from, long to, HashSet<int> isCase, Dictionary<int, ContactFinding>? excluded, Dictionary<int, ContactFinding> found, Func<int, int?, long, long, ContactFinding> make, Dictionary<int, ContactFinding>? general = null)
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
            var state = (Source: source, A: a, B: b, Minimum: minimum, Venue: venue, IsCase: isCase, Excluded: excluded, Found: found, Make: make, General: general);
            _index.AtVenue(venue, a, b, ref state, static (int other, long otherStart, long otherEnd, ref (int Source, long A, long B, long Minimum, int Venue, HashSet<int> IsCase, Dictionary<int, ContactFinding>? Excluded, Dictionary<int, ContactFinding> Found, Func<int, int?, long, long, ContactFinding> Make, Dictionary<int, ContactFinding>? General) s) =>
            {
                var start = Math.Max(s.A, otherStart);
                var end = Math.Min(s.B, otherEnd);
                if (other == s.Source || end <= start)
                {
                    return;
                }
                if (end - start >= s.Minimum)
                {
                    Offer(s.Make(other, s.Venue, start, end), s.IsCase, s.Excluded, s.Found);
                }
                else if (s.General is not null)
                {
                    Offer(s.Make(other, s.Venue, start, end) with { Tier = ContactTier.General }, s.IsCase, null, s.General);
                }
            });
        }
        foreach (var e in _exposures.Of(source))
        {
            var start = Math.Max(e.Start, from);
            var end = Math.Min(e.End, to);
            if (end > start)
            {
                Offer(make(e.A == source ? e.B : e.A, null, start, end), isCase, excluded, found);
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
                if (other.Person == source)
                {
                    continue;
                }
                var finding = make(other.Person, null, start, end) with { Transport = Describe(other) };
                if (CloseOnBoard(leg, other))
                {
                    Offer(finding, isCase, excluded, found);
                }
                else if (general is not null)
                {
                    Offer(finding with { Tier = ContactTier.General }, isCase, null, general);
                }
            }
        }
    }

    private static void Offer(ContactFinding f, HashSet<int> isCase, Dictionary<int, ContactFinding>? excluded, Dictionary<int, ContactFinding> found)
    {
        if (isCase.Contains(f.Person) || (excluded?.ContainsKey(f.Person) ?? false))
        {
            return;
        }
        if (!found.TryGetValue(f.Person, out var best))
        {
            found[f.Person] = f;
            return;
        }
        var last = Math.Max(best.LastExposure, f.LastExposure);
        var chosen = Earlier(f, best) ? f : best;
        found[f.Person] = last == chosen.End ? chosen with { LastExposureEnd = null } : chosen with { LastExposureEnd = last };
    }

    /// <summary>Earliest start first; ties broken by earlier end, then index, via, venue and cell, so results never depend on order.</summary>
    private static bool Earlier(ContactFinding x, ContactFinding y) =>
        (x.Start, x.End, x.IndexPerson, x.ViaPerson ?? -1, x.Venue ?? -1, x.Cell ?? -1).CompareTo((y.Start, y.End, y.IndexPerson, y.ViaPerson ?? -1, y.Venue ?? -1, y.Cell ?? -1)) < 0;
}
