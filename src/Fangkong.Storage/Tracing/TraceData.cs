using Fangkong.Cases;
using Fangkong.Policies;
using Fangkong.Storage.Cases;
using Fangkong.Storage.Checkins;
using Fangkong.Storage.Exposures;
using Fangkong.Storage.People;
using Fangkong.Storage.Venues;
using Fangkong.Time;
using Fangkong.Tracing;

namespace Fangkong.Storage.Tracing;

/// <summary>
/// What a trace needs, read from the store: the cases with their windows under a policy, the
/// check-in days that can touch those windows and the secondary windows up to the as-of time,
/// the manual exposures, and each person's and venue's key. Merged person records are read as
/// the person they were merged into.
/// </summary>
public sealed class TraceData
{
    private TraceData(CheckinIndex index, List<ManualExposure> exposures, List<TraceCase> cases, Dictionary<int, string> personKeys, Dictionary<int, string> venueKeys, long[] minimumByVenue, List<TransportLeg> legs, TransportRule transport, GridStays grid, Dictionary<int, string> cellKeys, Dictionary<int, List<(long From, long To)>> controlled)
    {
        _controlled = controlled;
        Grid = grid;
        CellKeys = cellKeys;
        Legs = legs;
        Transport = transport;
        Index = index;
        Exposures = exposures;
        Cases = cases;
        PersonKeys = personKeys;
        VenueKeys = venueKeys;
        MinimumOverlapByVenue = minimumByVenue;
    }

    private readonly Dictionary<int, List<(long From, long To)>> _controlled;

    public CheckinIndex Index { get; }

    /// <summary>
    /// A close contact's control time q (SPEC 4.2 rule 3): when the control order that followed their
    /// exposure put them under control, else the as-of time (never later than it). Every order counts,
    /// released ones too (a trace weeks later keeps the windows they had), but only one whose control
    /// lasted past the exposure's start: an earlier episode's order, long closed, does not end this one.
    /// </summary>
    public long ControlTime(ContactFinding close, long asOf)
    {
        if (_controlled.TryGetValue(close.Person, out var periods))
        {
            foreach (var (from, to) in periods)
            {
                if (to > close.Start)
                {
                    return Math.Min(Math.Max(from, close.Start), asOf);
                }
            }
        }
        return asOf;
    }

    public List<ManualExposure> Exposures { get; }

    public List<TransportLeg> Legs { get; }

    public TransportRule Transport { get; }

    public List<TraceCase> Cases { get; }

    public Dictionary<int, string> PersonKeys { get; }

    public Dictionary<int, string> VenueKeys { get; }

    /// <summary>The grid stays that can touch the cases' windows (時空伴随), with the policy's grid rule.</summary>
    public GridStays Grid { get; }

    /// <summary>The operator's key of each grid cell, by internal id.</summary>
    public Dictionary<int, string> CellKeys { get; }

    /// <summary>The policy's minimum co-presence in seconds, by internal venue id.</summary>
    public long[] MinimumOverlapByVenue { get; }

    public TracingEngine Engine() => new(Index, Exposures, v => v < MinimumOverlapByVenue.Length ? MinimumOverlapByVenue[v] : long.MaxValue, Legs, Transport, Grid);

    public static Task<TraceData> LoadAsync(Database db, PolicyProfile policy, long asOf, CancellationToken ct = default) => LoadAsync(db, policy, asOf, null, ct);

    /// <param name="live">The server's stays in memory: used instead of reading the days from the store.</param>
    public static async Task<TraceData> LoadAsync(Database db, PolicyProfile policy, long asOf, LiveStays? live, CancellationToken ct = default)
    {
        var people = (await PersonRepository.LoadKeysForTracingAsync(db, ct)).ToDictionary(p => p.Id);
        var canonical = new Dictionary<int, int>();
        foreach (var p in people.Values.Where(p => p.MergedInto is not null))
        {
            var target = p;
            for (var hops = 0; target.MergedInto is { } next && hops < 100; hops++)
            {
                target = people[next];
            }
            canonical[p.Id] = target.Id;
        }
        int Canon(int id) => canonical.TryGetValue(id, out var c) ? c : id;
        var personKeys = new Dictionary<int, string>(people.Count);
        foreach (var p in people.Values)
        {
            personKeys[p.Id] = people[Canon(p.Id)].Key;
        }

        var venues = await VenueRepository.LoadAllAsync(db, ct);
        var minimum = MinimumByVenue(venues.Select(v => (v.Id, v.Venue.Type)).ToList(), policy);
        var cases = await CasesAsync(db, policy, Canon, ct);

        var exposures = await ExposureRepository.LoadForTracingAsync(db, ct);
        if (canonical.Count > 0)
        {
            exposures = [.. exposures.Select(e => new ManualExposure(Canon(e.A), Canon(e.B), e.Start, e.End))];
        }
        exposures.RemoveAll(e => e.A == e.B);
        var legs = (await Storage.Transport.TransportRepository.LoadAllAsync(db, ct)).Select(l => l with { Person = Canon(l.Person) }).ToList();
        // Every day the engine may probe lies between the earliest window and the as-of time; the server's
        // index holds all of them, read from the store once.
        var index = live is not null ? await live.IndexAsync(StayKind.Checkins, canonical, ct)
            : await LoadStaysAsync(db, StayKind.Checkins, cases, Math.Max(cases.Select(c => c.Window.End).DefaultIfEmpty(0).Max(), asOf), Canon, ct);
        // Grid co-presence is with the cases only: their windows bound the days read.
        var grid = live is not null ? await live.IndexAsync(StayKind.GridStays, canonical, ct)
            : await LoadStaysAsync(db, StayKind.GridStays, cases, cases.Select(c => c.Window.End).DefaultIfEmpty(0).Max(), Canon, ct);
        var cells = grid.Count == 0 ? [] : await Storage.Grid.GridCellRepository.LoadAllAsync(db, ct);
        var controlled = await ControlledAsync(db, Canon, null, ct);
        return new TraceData(index, exposures, cases, personKeys, venues.ToDictionary(v => v.Id, v => v.Venue.VenueKey), minimum, legs, policy.Tracing.Transport,
            new GridStays(grid, policy.Tracing.Grid), cells, controlled);
    }

    /// <summary>
    /// One case's contacts as the engine finds them tracing that case alone (the other cases stay cases,
    /// never contacts), read narrowly enough to answer within a second at a province's size: the stays from
    /// the server's index, and from the store only the cases, the venues, the merged records, the transport
    /// legs, and the manual exposures and control orders of the case and its close contacts. The full trace
    /// that follows decides between cases (one person, one tier, the earliest overlap) and stores the result.
    /// </summary>
    public static async Task<IReadOnlyList<ContactFinding>> TraceOneCaseAsync(Database db, PolicyProfile policy, long asOf, LiveStays live, int casePerson, CancellationToken ct = default)
    {
        var canonical = await CanonicalAsync(db, ct);
        int Canon(int id) => canonical.TryGetValue(id, out var c) ? c : id;
        var person = Canon(casePerson);
        var venues = await VenueRepository.TypesAsync(db, ct);
        var cases = await CasesAsync(db, policy, Canon, ct);
        if (!cases.Any(c => c.Person == person))
        {
            return [];
        }
        var legs = (await Storage.Transport.TransportRepository.LoadAllAsync(db, ct)).Select(l => l with { Person = Canon(l.Person) }).ToList();
        var index = await live.IndexAsync(StayKind.Checkins, canonical, ct);
        var grid = await live.IndexAsync(StayKind.GridStays, canonical, ct);
        var cells = grid.Count == 0 ? [] : await Storage.Grid.GridCellRepository.LoadAllAsync(db, ct);
        var only = new HashSet<int> { person };
        async Task<IReadOnlyList<ContactFinding>> TraceWith(HashSet<int> exposed)
        {
            var exposures = await ExposureRepository.LoadForPeopleAsync(db, [.. exposed.SelectMany(p => canonical.Where(m => m.Value == p).Select(m => m.Key).Append(p))], ct);
            var mapped = exposures.Select(e => new ManualExposure(Canon(e.A), Canon(e.B), e.Start, e.End)).Where(e => e.A != e.B).ToList();
            var controlled = await ControlledAsync(db, Canon, exposed, ct);
            var data = new TraceData(index, mapped, cases, [], [], MinimumByVenue(venues, policy), legs, policy.Tracing.Transport, new GridStays(grid, policy.Tracing.Grid), cells, controlled);
            return data.Engine().Trace(cases, k => data.ControlTime(k, asOf), only);
        }
        // First the close contacts (they need only the case's own exposures), then everything with theirs too.
        var close = (await TraceWith(only)).Where(f => f.Tier == ContactTier.Close).Select(f => f.Person).ToHashSet();
        close.Add(person);
        return await TraceWith(close);
    }

    /// <summary>Each merged person record and the person it now belongs to (the end of its merge chain).</summary>
    public static async Task<Dictionary<int, int>> CanonicalAsync(Database db, CancellationToken ct = default)
    {
        var canonical = new Dictionary<int, int>();
        await using var c = await db.OpenConnectionAsync(ct);
        var merged = (await Dapper.SqlMapper.QueryAsync<(long Id, long Into)>(c, new Dapper.CommandDefinition(
            "SELECT id, merged_into FROM persons WHERE merged_into IS NOT NULL", cancellationToken: ct))).ToDictionary(r => (int)r.Id, r => (int)r.Into);
        foreach (var id in merged.Keys)
        {
            var target = id;
            for (var hops = 0; merged.TryGetValue(target, out var next) && hops < 100; hops++)
            {
                target = next;
            }
            canonical[id] = target;
        }
        return canonical;
    }

    private static long[] MinimumByVenue(List<(int Id, string Type)> venues, PolicyProfile policy)
    {
        var minimum = new long[venues.Count == 0 ? 1 : venues.Max(v => v.Id) + 1];
        Array.Fill(minimum, long.MaxValue);
        foreach (var (id, type) in venues)
        {
            minimum[id] = policy.Tracing.MinimumOverlapMinutes.ForVenueType(type) * 60L;
        }
        return minimum;
    }

    /// <summary>The cases to trace with their windows, by person (merged records read as their person).</summary>
    private static async Task<List<TraceCase>> CasesAsync(Database db, PolicyProfile policy, Func<int, int> canon, CancellationToken ct)
    {
        var cases = new Dictionary<int, TraceCase>();
        foreach (var c in await CaseRepository.LoadAllAsync(db, ct))
        {
            if (c.Classification == CaseClassification.NotACase || (c.OnsetDate is null && c.SamplingTime is null))
            {
                continue;
            }
            var window = TracingWindow.For(c.OnsetDate, c.SamplingTime, c.ReportTime, c.IsolationTime, policy.Tracing.WindowDaysBefore, db.Calendar);
            var person = canon(c.PersonId);
            // Two merged records with a case each: trace the union of their windows.
            cases[person] = cases.TryGetValue(person, out var other)
                ? new TraceCase(person, new TracingWindow(Math.Min(other.Window.Start, window.Start), Math.Max(other.Window.End, window.End)))
                : new TraceCase(person, window);
        }
        return [.. cases.Values.OrderBy(c => c.Person)];
    }

    /// <summary>Each person's periods under control (an order's controlled_at to its closing, open while active), in time order; only <paramref name="of"/>'s when given.</summary>
    private static async Task<Dictionary<int, List<(long From, long To)>>> ControlledAsync(Database db, Func<int, int> canon, HashSet<int>? of, CancellationToken ct)
    {
        var controlled = new Dictionary<int, List<(long From, long To)>>();
        await using var c = await db.OpenConnectionAsync(ct);
        foreach (var (person, from, to) in await Dapper.SqlMapper.QueryAsync<(long Person, long From, long? To)>(c, new Dapper.CommandDefinition(
                     "SELECT person_id, controlled_at, closed_at FROM control_orders WHERE controlled_at IS NOT NULL ORDER BY controlled_at", cancellationToken: ct)))
        {
            var id = canon((int)person);
            if (of is null || of.Contains(id))
            {
                (controlled.TryGetValue(id, out var periods) ? periods : controlled[id] = []).Add((from, to ?? long.MaxValue));
            }
        }
        return controlled;
    }

    /// <summary>The days of one kind of stays that can touch the cases' windows or the secondary windows up to <paramref name="to"/>.</summary>
    private static async Task<CheckinIndex> LoadStaysAsync(Database db, StayKind kind, IEnumerable<TraceCase> cases, long to, Func<int, int> canon, CancellationToken ct)
    {
        var list = cases.ToList();
        var store = await CheckinStores.OpenAsync(db, kind, ct);
        var days = await store.ListDaysAsync(ct);
        if (list.Count == 0 || days.Count == 0)
        {
            return CheckinIndex.Empty;
        }
        // Stays that began before the earliest window can still overlap it: look back by the longest stay.
        var from = list.Min(c => c.Window.Start) - days.Max(d => d.MaxDuration);
        var firstDay = DeploymentCalendar.DayNumber(db.Calendar.LocalDate(from));
        var lastDay = DeploymentCalendar.DayNumber(db.Calendar.LocalDate(to));
        // The days read side by side, one per core (each read is its own: a segment file, or a day table on its own connection).
        var wanted = days.Where(d => d.Day >= firstDay && d.Day <= lastDay).Select(d => d.Day).ToArray();
        var loaded = new CheckinDay[wanted.Length];
        await Parallel.ForEachAsync(Enumerable.Range(0, wanted.Length), new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = ct },
            async (i, token) => loaded[i] = await store.ReadDayAsync(wanted[i], token));
        return IndexOf(loaded, canon);
    }

    /// <summary>The tracing index over whole days as the check-in store returns them; <paramref name="canon"/> maps merged people.</summary>
    public static CheckinIndex IndexOf(IReadOnlyList<CheckinDay> days, Func<int, int>? canon = null) =>
        CheckinIndex.FromDays([.. days.Select(d => d.Columns)], canon);
}
