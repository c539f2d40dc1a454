using Dapper;
using Fangkong.Time;
using Npgsql;
using NpgsqlTypes;

namespace Fangkong.Storage.Checkins;

/// <summary>
/// Check-ins on PostgreSQL: a table partitioned by local day (one partition a day, dropped whole
/// for retention), indexed by venue and time and by person and time. Each day holds no duplicate:
/// every write rebuilds the days it touches.
/// </summary>
public sealed class PostgresCheckinStore(Database db, StayKind kind) : ICheckinStore
{
    public PostgresCheckinStore(Database db)
        : this(db, StayKind.Checkins)
    {
    }

    /// <summary>
    /// Rebuilds each touched day as a new table: the day's stored rows and the new ones are merged
    /// and deduplicated in memory (as for day segments), copied in order with binary COPY and indexed
    /// in bulk — two days at a time on two connections, since the new tables are invisible until
    /// attached — and then all the new tables are swapped in for the old partitions in one short
    /// transaction. A crash before that leaves unattached tables, dropped by the next append; an
    /// advisory lock keeps appends one at a time.
    /// </summary>
    public async Task<long> AppendAsync(IReadOnlyList<CheckinRow> rows, CancellationToken ct = default)
    {
        if (rows.Count == 0)
        {
            return 0;
        }
        await using var lockConnection = (NpgsqlConnection)await db.OpenConnectionAsync(ct);
        await lockConnection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_lock(@key)", new { key = kind.AppendLock }, cancellationToken: ct, commandTimeout: 0));
        var built = new System.Collections.Concurrent.ConcurrentBag<(int Day, string Fresh, bool Exists, long Added, List<CheckinRow> Rows)>();
        try
        {
            await DropUnattachedAsync(lockConnection, ct);
            var byDay = CheckinSorting.ByDay(rows, db.Calendar);
            // Which days have a partition: from the catalog, not by counting the stored rows.
            var stored = (await lockConnection.QueryAsync<string>(new CommandDefinition(
                    $"SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = '{kind.Table}'::regclass", cancellationToken: ct)))
                .Select(name => int.Parse(name[(kind.Table.Length + 2)..], System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
            var generation = DateTime.UtcNow.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await Parallel.ForEachAsync(byDay.OrderBy(d => d.Key), new ParallelOptions { MaxDegreeOfParallelism = 2, CancellationToken = ct }, async (entry, token) =>
            {
                var (day, list) = entry;
                await using var c = (NpgsqlConnection)await db.OpenConnectionAsync(token);
                var exists = stored.Contains(day);
                var existing = exists ? await ReadDayAsync(c, null, day, token) : new CheckinDay(day, db.Calendar.StartOfDay(DeploymentCalendar.FromDayNumber(day)), [], [], [], []);
                var rows = new List<CheckinRow>();
                var (merged, added) = CheckinSorting.Merge(existing, list, db.Stays.Listening ? rows : null);
                if (added > 0)
                {
                    var fresh = $"{kind.Table}_d{day}_g{generation}";
                    built.Add((day, fresh, exists, added, rows));
                    await BuildDayTableAsync(c, fresh, merged, token);
                }
            });
            if (built.IsEmpty)
            {
                return 0;
            }
            await using var s = await StoreSession.BeginAsync(db, ct);
            foreach (var (day, fresh, exists, _, _) in built.OrderBy(b => b.Day))
            {
                var partition = $"{kind.Table}_d{day}";
                await s.Connection.ExecuteAsync(new CommandDefinition($"""
                    {(exists ? $"ALTER TABLE {kind.Table} DETACH PARTITION {partition}; DROP TABLE {partition};" : "")}
                    ALTER TABLE {fresh} RENAME TO {partition};
                    ALTER TABLE {kind.Table} ATTACH PARTITION {partition} FOR VALUES IN ({day});
                    """, transaction: s.Transaction, cancellationToken: CancellationToken.None, commandTimeout: 0));
            }
            var after = await StayChanges.BumpAsync(s.Connection, s.Transaction, kind);
            await s.CommitAsync(CancellationToken.None);
            db.Stays.Announce(new StaysAppended(kind, after - 1, after, [.. built.OrderBy(b => b.Day).SelectMany(b => b.Rows)]));
            return built.Sum(b => b.Added);
        }
        catch
        {
            await DropUnattachedAsync(lockConnection, CancellationToken.None);
            throw;
        }
        finally
        {
            await lockConnection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_unlock(@key)", new { key = kind.AppendLock }, cancellationToken: CancellationToken.None));
        }
    }

    private async Task BuildDayTableAsync(NpgsqlConnection c, string fresh, CheckinDay merged, CancellationToken ct)
    {
        var day = merged.Day;
        await c.ExecuteAsync(new CommandDefinition(
            $"SET maintenance_work_mem = '256MB'; CREATE TABLE {fresh} (day integer NOT NULL CHECK (day = {day}), {kind.PlaceColumn} integer NOT NULL, person_id integer NOT NULL, {kind.InColumn} bigint NOT NULL, {kind.OutColumn} bigint NOT NULL)",
            cancellationToken: ct));
        await using (var writer = await c.BeginBinaryImportAsync($"COPY {fresh} (day, {kind.PlaceColumn}, person_id, {kind.InColumn}, {kind.OutColumn}) FROM STDIN (FORMAT BINARY)", ct))
        {
            for (var i = 0; i < merged.Count; i++)
            {
                writer.StartRow();
                writer.Write(day, NpgsqlDbType.Integer);
                writer.Write(merged.Venue[i], NpgsqlDbType.Integer);
                writer.Write(merged.Person[i], NpgsqlDbType.Integer);
                writer.Write(merged.CheckIn(i), NpgsqlDbType.Bigint);
                writer.Write(merged.CheckOut(i), NpgsqlDbType.Bigint);
            }
            await writer.CompleteAsync(ct);
        }
        await c.ExecuteAsync(new CommandDefinition(
            $"CREATE INDEX ON {fresh} USING brin ({kind.PlaceColumn}, {kind.InColumn}) WITH (pages_per_range = 8); CREATE INDEX ON {fresh} (person_id, {kind.InColumn});",
            cancellationToken: ct, commandTimeout: 0));
    }

    /// <summary>Drops day tables that were built but never attached (an append that crashed or failed).</summary>
    private async Task DropUnattachedAsync(NpgsqlConnection c, CancellationToken ct)
    {
        var orphans = await c.QueryAsync<string>(new CommandDefinition(
            $"SELECT relname FROM pg_class WHERE relkind = 'r' AND relname ~ '^{kind.Table}_d[0-9]+_g[0-9]+$' AND NOT relispartition", cancellationToken: ct));
        foreach (var table in orphans)
        {
            await c.ExecuteAsync(new CommandDefinition($"DROP TABLE IF EXISTS {table}", cancellationToken: ct));
        }
    }

    public async Task<IReadOnlyList<CheckinDayInfo>> ListDaysAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<(int Day, long Rows, long Max)>(new CommandDefinition(
            $"SELECT day, COUNT(*), MAX({kind.OutColumn} - {kind.InColumn}) FROM {kind.Table} GROUP BY day ORDER BY day", cancellationToken: ct, commandTimeout: 0));
        return rows.Select(r => new CheckinDayInfo(r.Day, r.Rows, (int)r.Max)).ToList();
    }

    public async Task<CheckinDay> ReadDayAsync(int day, CancellationToken ct = default)
    {
        await using var c = (NpgsqlConnection)await db.OpenConnectionAsync(ct);
        return await ReadDayAsync(c, null, day, ct);
    }

    // Reads on the caller's connection: inside an append, the transaction already holds the locks.
    private async Task<CheckinDay> ReadDayAsync(NpgsqlConnection c, NpgsqlTransaction? tx, int day, CancellationToken ct)
    {
        var dayStart = db.Calendar.StartOfDay(DeploymentCalendar.FromDayNumber(day));
        var venue = new List<int>();
        var person = new List<int>();
        var start = new List<int>();
        var duration = new List<int>();
        await using var cmd = new NpgsqlCommand(
            $"SELECT {kind.PlaceColumn}, person_id, {kind.InColumn}, {kind.OutColumn} FROM {kind.Table} WHERE day = @day ORDER BY {kind.PlaceColumn}, {kind.InColumn}, person_id, {kind.OutColumn}", c, tx);
        cmd.CommandTimeout = 0;
        cmd.Parameters.AddWithValue("day", day);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            venue.Add(reader.GetInt32(0));
            person.Add(reader.GetInt32(1));
            var checkIn = reader.GetInt64(2);
            start.Add((int)(checkIn - dayStart));
            duration.Add((int)(reader.GetInt64(3) - checkIn));
        }
        return new CheckinDay(day, dayStart, [.. venue], [.. person], [.. start], [.. duration]);
    }

    public async Task<long> DropDaysBeforeAsync(int firstKeptDay, CancellationToken ct = default)
    {
        var days = await ListDaysAsync(ct);
        long dropped = 0;
        await using var s = await StoreSession.BeginAsync(db, ct);
        foreach (var d in days.Where(d => d.Day < firstKeptDay))
        {
            await s.Connection.ExecuteAsync(new CommandDefinition($"DROP TABLE IF EXISTS {kind.Table}_d{d.Day}", transaction: s.Transaction, cancellationToken: ct));
            dropped += d.Rows;
        }
        if (dropped > 0)
        {
            await StayChanges.BumpAsync(s.Connection, s.Transaction, kind);
        }
        await s.CommitAsync(ct);
        return dropped;
    }
}
