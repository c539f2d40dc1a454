using System.Diagnostics;
using Fangkong.Files;
using Fangkong.Files.Csv;
using Fangkong.Files.Imports;
using Fangkong.Storage;
using Fangkong.Storage.Checkins;
using Fangkong.Time;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Fangkong.Cli.Bench;

/// <summary>One measured way of storing the check-ins file.</summary>
internal sealed record ImportMeasurement(string Name, long Rows, TimeSpan Elapsed, long Bytes)
{
    public double RowsPerSecond => Rows / Elapsed.TotalSeconds;

    public double BytesPerRow => (double)Bytes / Rows;
}

/// <summary>
/// Check-in import, side by side on the same file: Fangkong's embedded store (day segments beside
/// SQLite), Fangkong on PostgreSQL (COPY into day partitions), and the baseline of a plain SQLite
/// table with the two obvious indexes (by person and time, by venue and time).
/// </summary>
internal static class ImportBenchmark
{
    public static async Task<ImportMeasurement> FangkongAsync(string name, StoreLocation location, StandardDataset data, string dir, CancellationToken ct)
    {
        await using var db = await Database.OpenAsync(location, ct: ct);
        foreach (var (kind, file) in new[] { (FileKind.Persons, StandardDataset.PersonsFile(dir)), (FileKind.Venues, StandardDataset.VenuesFile(dir)) })
        {
            var r = await ImportRunner.RunAsync(db, kind, file, new ImportOptions(), null, ct);
            if (r.Refused)
            {
                throw new InvalidOperationException($"benchmark {kind} refused: {r.Errors[0]}");
            }
        }
        var clock = Stopwatch.StartNew();
        var result = await ImportRunner.RunAsync(db, FileKind.Checkins, StandardDataset.CheckinsFile(dir), new ImportOptions(), null, ct);
        clock.Stop();
        if (result.Refused)
        {
            throw new InvalidOperationException($"benchmark check-ins refused: {result.Errors[0]}");
        }
        return new ImportMeasurement(name, result.Written, clock.Elapsed, await CheckinBytesAsync(db, ct));
    }

    private static async Task<long> CheckinBytesAsync(Database db, CancellationToken ct)
    {
        if (db.Location.CheckinFolder is { } folder)
        {
            return Directory.EnumerateFiles(folder).Sum(f => new FileInfo(f).Length);
        }
        await using var c = (NpgsqlConnection)await db.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand(
            "SELECT COALESCE(SUM(pg_total_relation_size(inhrelid)), 0) FROM pg_inherits WHERE inhparent = 'checkins'::regclass", c);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The baseline: one SQLite table, rows inserted with a prepared statement in one transaction, two indexes.</summary>
    public static async Task<ImportMeasurement> PlainSqliteAsync(string path, StandardDataset data, string dir, CancellationToken ct)
    {
        foreach (var f in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(f);
        }
        var people = new KeyDirectory();
        var venues = new KeyDirectory();
        var clock = Stopwatch.StartNew();
        await using var c = new SqliteConnection($"Data Source={path}");
        await c.OpenAsync(ct);
        await using (var create = c.CreateCommand())
        {
            create.CommandText = """
                PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;
                CREATE TABLE checkins (person_id INTEGER NOT NULL, venue_id INTEGER NOT NULL, check_in INTEGER NOT NULL, check_out INTEGER NOT NULL);
                CREATE INDEX checkins_person ON checkins (person_id, check_in);
                CREATE INDEX checkins_venue ON checkins (venue_id, check_in);
                """;
            await create.ExecuteNonQueryAsync(ct);
        }
        long rows = 0;
        await using (var tx = (SqliteTransaction)await c.BeginTransactionAsync(ct))
        await using (var insert = c.CreateCommand())
        {
            insert.Transaction = tx;
            insert.CommandText = "INSERT INTO checkins VALUES ($p, $v, $i, $o)";
            var (pp, pv, pi, po) = (insert.Parameters.Add("$p", SqliteType.Integer), insert.Parameters.Add("$v", SqliteType.Integer), insert.Parameters.Add("$i", SqliteType.Integer), insert.Parameters.Add("$o", SqliteType.Integer));
            await insert.PrepareAsync(ct);
            using var source = CsvSource.Open(StandardDataset.CheckinsFile(dir), FileColumns.For(FileKind.Checkins).Required, []);
            var calendar = DeploymentCalendar.Default;
            while (source.Read())
            {
                var p = source.Span(0);
                var v = source.Span(1);
                if (!people.TryGet(p, out var pid))
                {
                    people.Set(p.ToString(), pid = people.Count + 1);
                }
                if (!venues.TryGet(v, out var vid))
                {
                    venues.Set(v.ToString(), vid = venues.Count + 1);
                }
                IsoTime.TryParse(source.Span(2), calendar, out var i);
                IsoTime.TryParse(source.Span(3), calendar, out var o);
                (pp.Value, pv.Value, pi.Value, po.Value) = (pid, vid, i, o);
                await insert.ExecuteNonQueryAsync(ct);
                rows++;
            }
            await tx.CommitAsync(ct);
        }
        await using (var checkpoint = c.CreateCommand())
        {
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            await checkpoint.ExecuteNonQueryAsync(ct);
        }
        clock.Stop();
        SqliteConnection.ClearAllPools();
        return new ImportMeasurement("plain SQLite table + 2 indexes (baseline)", rows, clock.Elapsed, new FileInfo(path).Length);
    }
}
