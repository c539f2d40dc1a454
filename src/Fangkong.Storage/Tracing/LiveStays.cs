using Fangkong.Storage.Checkins;
using Fangkong.Tracing;

namespace Fangkong.Storage.Tracing;

/// <summary>
/// The server's tracing index: every stored day of check-ins and of grid stays held in memory, read
/// from the store once and then appended as this process's appends commit (imports through the web or
/// the API, scans at a venue's door), so a trace reads no day from the store. Before each use the
/// store's version of the stays is compared with the one the index has seen: a change this process did
/// not announce (another process wrote or dropped days, or a person was merged since) makes it read the
/// days again. Readers get an index that never changes under them; appends build a new one.
/// </summary>
public sealed class LiveStays : IDisposable
{
    private sealed record State(long Version, CheckinIndex Index, IReadOnlyDictionary<int, int> Canonical);

    private readonly Database _db;
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _reading = new(1, 1);
    private readonly State?[] _states = new State?[StayKind.All.Count];

    public LiveStays(Database db)
    {
        _db = db;
        db.Stays.Appended += OnAppended;
    }

    private readonly int[] _reads = new int[StayKind.All.Count];

    /// <summary>How many times the days of a kind were read from the store (once, unless another writer changed them).</summary>
    public int Reads(StayKind kind) => _reads[Slot(kind)];

    /// <summary>Stays held in memory, by kind.</summary>
    public long Count(StayKind kind) => _states[Slot(kind)]?.Index.Count ?? 0;

    private static int Slot(StayKind kind) => kind == StayKind.Checkins ? 0 : 1;

    private void OnAppended(StaysAppended change)
    {
        var slot = Slot(change.Kind);
        lock (_gate)
        {
            if (_states[slot] is not { } state || state.Version != change.VersionBefore)
            {
                // Not read yet, or behind another writer: the next use reads the days again.
                _states[slot] = null;
                return;
            }
            var rows = change.Rows;
            int Canon(int id) => state.Canonical.TryGetValue(id, out var c) ? c : id;
            var venue = new int[rows.Count];
            var person = new int[rows.Count];
            var start = new long[rows.Count];
            var end = new long[rows.Count];
            for (var i = 0; i < rows.Count; i++)
            {
                (venue[i], person[i], start[i], end[i]) = (rows[i].Venue, Canon(rows[i].Person), rows[i].CheckIn, rows[i].CheckOut);
            }
            _states[slot] = state with { Version = change.VersionAfter, Index = state.Index.Append(venue, person, start, end) };
        }
    }

    /// <summary>
    /// The index of one kind of stays as the store holds them now, people mapped by <paramref name="canonical"/>
    /// (merged record → the person it was merged into).
    /// </summary>
    public async Task<CheckinIndex> IndexAsync(StayKind kind, IReadOnlyDictionary<int, int> canonical, CancellationToken ct = default)
    {
        var slot = Slot(kind);
        if (Current(slot, await StayChanges.VersionAsync(_db, kind, ct), canonical) is { } index)
        {
            return index;
        }
        await _reading.WaitAsync(ct);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var version = await StayChanges.VersionAsync(_db, kind, ct);
                if (Current(slot, version, canonical) is { } ready)
                {
                    return ready;
                }
                var store = await CheckinStores.OpenAsync(_db, kind, ct);
                var days = await store.ListDaysAsync(ct);
                var loaded = new CheckinDay[days.Count];
                await Parallel.ForEachAsync(Enumerable.Range(0, days.Count), new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = ct },
                    async (i, token) => loaded[i] = await store.ReadDayAsync(days[i].Day, token));
                var map = new Dictionary<int, int>(canonical);
                var built = TraceData.IndexOf(loaded, map.Count == 0 ? null : id => map.TryGetValue(id, out var c) ? c : id);
                _reads[slot]++;
                // Unchanged while reading: what was read is that version, kept (a writer's announcement that came in
                // between finds the index one version behind and leaves it for the next use to read again).
                if (await StayChanges.VersionAsync(_db, kind, ct) == version)
                {
                    lock (_gate)
                    {
                        _states[slot] = new State(version, built, map);
                    }
                    return built;
                }
                if (attempt >= 5)
                {
                    return built;   // a snapshot no older than the version asked for; kept by nobody
                }
            }
        }
        finally
        {
            _reading.Release();
        }
    }

    /// <summary>Reads every kind of stays into memory (the server does this when it starts, so the first trace finds them there).</summary>
    public async Task WarmAsync(CancellationToken ct = default)
    {
        var canonical = await TraceData.CanonicalAsync(_db, ct);
        foreach (var kind in StayKind.All)
        {
            await IndexAsync(kind, canonical, ct);
        }
    }

    private CheckinIndex? Current(int slot, long version, IReadOnlyDictionary<int, int> canonical)
    {
        var state = Volatile.Read(ref _states[slot]);
        return state is not null && state.Version == version && Same(state.Canonical, canonical) ? state.Index : null;
    }

    private static bool Same(IReadOnlyDictionary<int, int> a, IReadOnlyDictionary<int, int> b) =>
        a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var v) && v == p.Value);

    public void Dispose()
    {
        _db.Stays.Appended -= OnAppended;
        _reading.Dispose();
    }
}
