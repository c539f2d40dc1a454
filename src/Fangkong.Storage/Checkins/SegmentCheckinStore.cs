using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using Dapper;
using Fangkong.Time;

namespace Fangkong.Storage.Checkins;

/// <summary>
/// The embedded store's check-ins: one immutable segment file per local day in the folder beside
/// the SQLite file, 16 bytes a check-in (four little-endian int32 columns). An append writes a new
/// generation of each touched day and then switches the generations in one SQLite transaction, so
/// a crash leaves either the old or the new days, never a mix; unreferenced files are removed on
/// open. Retention deletes whole files.
/// </summary>
public sealed partial class SegmentCheckinStore : ICheckinStore
{
    private const uint Magic = 0x4943_4B46; // "FKCI"
    private const int Version = 1;
    private const int HeaderBytes = 32;

    private readonly Database _db;
    private readonly string _folder;
    private readonly StayKind _kind;

    private SegmentCheckinStore(Database db, string folder, StayKind kind)
    {
        _db = db;
        _folder = folder;
        _kind = kind;
    }

    public static Task<SegmentCheckinStore> OpenAsync(Database db, CancellationToken ct = default) => OpenAsync(db, StayKind.Checkins, ct);

    public static async Task<SegmentCheckinStore> OpenAsync(Database db, StayKind kind, CancellationToken ct = default)
    {
        var folder = db.Location.StayFolder(kind) ?? throw new InvalidOperationException("Segment check-in store needs a file store.");
        Directory.CreateDirectory(folder);
        var store = new SegmentCheckinStore(db, folder, kind);
        await store.RemoveOrphansAsync(ct);
        return store;
    }

    private string FileFor(int day, long generation) =>
        Path.Combine(_folder, $"{DeploymentCalendar.FromDayNumber(day):yyyyMMdd}.g{generation}.seg");

    private async Task<Dictionary<int, (long Generation, long Rows, int MaxDuration)>> ManifestAsync(CancellationToken ct)
    {
        await using var c = await _db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<(long Day, long Generation, long Rows, long Max)>(
            new CommandDefinition($"SELECT day, generation, row_count, max_duration FROM {_kind.DaysTable}", cancellationToken: ct));
        return rows.ToDictionary(r => (int)r.Day, r => (r.Generation, r.Rows, (int)r.Max));
    }

    /// <summary>
    /// Removes segment files no manifest entry points to: generations a later one replaced, days dropped,
    /// and the leftovers of an append that failed. A file may also belong to an append in progress in
    /// another process or request (written, not yet switched in), so a file of a newer generation than
    /// the live one, or of a day not in the manifest, is removed only once it is an hour old.
    /// </summary>
    private async Task RemoveOrphansAsync(CancellationToken ct)
    {
        var manifest = await ManifestAsync(ct);
        var live = manifest.Select(m => Path.GetFileName(FileFor(m.Key, m.Value.Generation))).ToHashSet(StringComparer.Ordinal);
        var settled = DateTime.UtcNow - TimeSpan.FromHours(1);
        foreach (var file in Directory.EnumerateFiles(_folder, "*.seg*"))
        {
            var name = Path.GetFileName(file);
            if (live.Contains(name))
            {
                continue;
            }
            var superseded = SegmentName().Match(name) is { Success: true } m
                && manifest.TryGetValue(DeploymentCalendar.DayNumber(DateOnly.ParseExact(m.Groups[1].Value, "yyyyMMdd", CultureInfo.InvariantCulture)), out var entry)
                && long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) < entry.Generation;
            if (superseded || File.GetLastWriteTimeUtc(file) < settled)
            {
                File.Delete(file);
            }
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^(\d{8})\.g(\d+)\.seg")]
    private static partial System.Text.RegularExpressions.Regex SegmentName();

    public async Task<IReadOnlyList<CheckinDayInfo>> ListDaysAsync(CancellationToken ct = default) =>
        (await ManifestAsync(ct)).OrderBy(m => m.Key).Select(m => new CheckinDayInfo(m.Key, m.Value.Rows, m.Value.MaxDuration)).ToList();

    public async Task<CheckinDay> ReadDayAsync(int day, CancellationToken ct = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            var manifest = await ManifestAsync(ct);
            try
            {
                return manifest.TryGetValue(day, out var m) ? await ReadFileAsync(FileFor(day, m.Generation), ct) : Empty(day);
            }
            catch (FileNotFoundException) when (attempt < 20)
            {
                // An append switched the day to a new generation (and removed the old file) after the
                // manifest was read: read the manifest again.
            }
        }
    }

    private CheckinDay Empty(int day) =>
        new(day, _db.Calendar.StartOfDay(DeploymentCalendar.FromDayNumber(day)), [], [], [], []);

    public async Task<long> AppendAsync(IReadOnlyList<CheckinRow> rows, CancellationToken ct = default)
    {
        if (rows.Count == 0)
        {
            return 0;
        }
        // One writer at a time, across requests and processes: a day is read, merged and switched whole.
        await using var writer = await FileLock.AcquireAsync(Path.Combine(_folder, "writer.lock"), ct);
        var manifest = await ManifestAsync(ct);
        var written = new List<(int Day, long Generation, CheckinDay Data, string File)>();
        (int Day, long Generation, CheckinDay Data, string File, long Added)?[] results = [];
        List<CheckinRow>[] fresh = [];
        long added = 0;
        try
        {
            // Days are independent: merge and write them on all cores.
            var days = CheckinSorting.ByDay(rows, _db.Calendar).OrderBy(d => d.Key).ToList();
            results = new (int Day, long Generation, CheckinDay Data, string File, long Added)?[days.Count];
            fresh = [.. days.Select(_ => new List<CheckinRow>())];
            await Parallel.ForEachAsync(Enumerable.Range(0, days.Count), new ParallelOptions { CancellationToken = ct }, async (i, token) =>
            {
                var (day, incoming) = days[i];
                var existing = manifest.TryGetValue(day, out var m) ? await ReadFileAsync(FileFor(day, m.Generation), token) : Empty(day);
                var (merged, dayAdded) = CheckinSorting.Merge(existing, incoming, _db.Stays.Listening ? fresh[i] : null);
                if (dayAdded == 0)
                {
                    return;
                }
                var generation = (manifest.TryGetValue(day, out var old) ? old.Generation : 0) + 1;
                var file = FileFor(day, generation);
                results[i] = (day, generation, merged, file, dayAdded);
                await WriteFileAsync(file, merged, token);
            });
            foreach (var r in results)
            {
                if (r is { } w)
                {
                    written.Add((w.Day, w.Generation, w.Data, w.File));
                    added += w.Added;
                }
            }
            if (written.Count == 0)
            {
                return 0;
            }
            ct.ThrowIfCancellationRequested();
            await using (var s = await StoreSession.BeginAsync(_db, ct))
            {
                var after = await StayChanges.BumpAsync(s.Connection, s.Transaction, _kind);
                foreach (var w in written)
                {
                    await s.Connection.ExecuteAsync(new CommandDefinition(
                        $"INSERT INTO {_kind.DaysTable} (day, generation, row_count, max_duration) VALUES (@Day, @Generation, @Rows, @Max) " +
                        "ON CONFLICT (day) DO UPDATE SET generation = excluded.generation, row_count = excluded.row_count, max_duration = excluded.max_duration",
                        new { w.Day, w.Generation, Rows = (long)w.Data.Count, Max = w.Data.MaxDuration }, s.Transaction, cancellationToken: CancellationToken.None));
                }
                await s.CommitAsync(CancellationToken.None);
                _db.Stays.Announce(new StaysAppended(_kind, after - 1, after, [.. fresh.SelectMany(f => f)]));
            }
        }
        catch
        {
            // Nothing was switched: the new generations are garbage (deleted now, or on the next open).
            foreach (var w in results)
            {
                if (w is { } r)
                {
                    File.Delete(r.File);
                    File.Delete(r.File + ".tmp");
                }
            }
            throw;
        }
        foreach (var w in written)
        {
            if (manifest.TryGetValue(w.Day, out var old))
            {
                File.Delete(FileFor(w.Day, old.Generation));
            }
        }
        return added;
    }

    public async Task<long> DropDaysBeforeAsync(int firstKeptDay, CancellationToken ct = default)
    {
        await using var writer = await FileLock.AcquireAsync(Path.Combine(_folder, "writer.lock"), ct);
        var manifest = await ManifestAsync(ct);
        var drop = manifest.Where(m => m.Key < firstKeptDay).ToList();
        await using (var s = await StoreSession.BeginAsync(_db, ct))
        {
            await s.Connection.ExecuteAsync(new CommandDefinition($"DELETE FROM {_kind.DaysTable} WHERE day < @firstKeptDay", new { firstKeptDay }, s.Transaction, cancellationToken: ct));
            if (drop.Count > 0)
            {
                await StayChanges.BumpAsync(s.Connection, s.Transaction, _kind);
            }
            await s.CommitAsync(ct);
        }
        foreach (var d in drop)
        {
            File.Delete(FileFor(d.Key, d.Value.Generation));
        }
        return drop.Sum(d => d.Value.Rows);
    }

    private static async Task WriteFileAsync(string path, CheckinDay day, CancellationToken ct)
    {
        var header = new byte[HeaderBytes];
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(0), Magic);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(4), Version);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(8), day.Day);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(12), day.Count);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(16), day.DayStart);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(24), day.MaxDuration);
        var tmp = path + ".tmp";
        await using (var fs = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20, FileOptions.Asynchronous))
        {
            await fs.WriteAsync(header, ct);
            foreach (var column in new[] { day.Venue, day.Person, day.Start, day.Duration })
            {
                await fs.WriteAsync(MemoryMarshal.AsBytes(column.AsSpan()).ToArray(), ct);
            }
            await fs.FlushAsync(ct);
            fs.Flush(flushToDisk: true);
        }
        File.Move(tmp, path, overwrite: true);
    }

    private static async Task<CheckinDay> ReadFileAsync(string path, CancellationToken ct)
    {
        var bytes = await File.ReadAllBytesAsync(path, ct);
        if (bytes.Length < HeaderBytes || BinaryPrimitives.ReadUInt32LittleEndian(bytes) != Magic)
        {
            throw new StoreException($"Check-in segment {path} is damaged (bad header).");
        }
        var version = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4));
        if (version != Version)
        {
            throw new StoreException($"Check-in segment {path} has format version {version.ToString(CultureInfo.InvariantCulture)}; this build reads {Version}.");
        }
        var day = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8));
        var count = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(12));
        var dayStart = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(16));
        if (bytes.Length != HeaderBytes + 16L * count)
        {
            throw new StoreException($"Check-in segment {path} is damaged (expected {count} rows).");
        }
        int[] Column(int k) => MemoryMarshal.Cast<byte, int>(bytes.AsSpan(HeaderBytes + k * 4 * count, 4 * count)).ToArray();
        return new CheckinDay(day, dayStart, Column(0), Column(1), Column(2), Column(3));
    }
}
