using Dapper;
using Fangkong.Time;
using Npgsql;
using NpgsqlTypes;

namespace Fangkong.Storage.Checkins;

/// <summary>
/// Check-ins on PostgreSQL: a table partitioned by local day (one partition a day, dropped whole
/// for retention), keyed by (day, venue, check-in, person, check-out) for access by venue and time,
/// with a second index by person and time. Appends COPY into a staging table in one transaction.
/// </summary>
public sealed class PostgresCheckinStore(Database db) : ICheckinStore
{
    public async Task<long> AppendAsync(IReadOnlyList<CheckinRow> rows, CancellationToken ct = default)
    {
        if (rows.Count == 0)
        {
            return 0;
        }
        var byDay = CheckinSorting.ByDay(rows, db.Calendar);
        await using var s = await StoreSession.BeginAsync(db, ct);
        var c = (NpgsqlConnection)s.Connection;
        var tx = (NpgsqlTransaction)s.Transaction;
        foreach (var day in byDay.Keys)
        {
            await c.ExecuteAsync(new CommandDefinition($"CREATE TABLE IF NOT EXISTS checkins_d{day} PARTITION OF checkins FOR VALUES IN ({day})", transaction: tx, cancellationToken: ct));
        }
        await c.ExecuteAsync(new CommandDefinition(
            "CREATE TEMP TABLE IF NOT EXISTS staging_checkins (day integer, venue_id integer, person_id integer, check_in bigint, check_out bigint) ON COMMIT DELETE ROWS",
            transaction: tx, cancellationToken: ct));
        await using (var writer = await c.BeginBinaryImportAsync("COPY staging_checkins (day, venue_id, person_id, check_in, check_out) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var (day, list) in byDay)
            {
                foreach (var r in list)
                {
                    await writer.StartRowAsync(ct);
                    await writer.WriteAsync(day, NpgsqlDbType.Integer, ct);
                    await writer.WriteAsync(r.Venue, NpgsqlDbType.Integer, ct);
                    await writer.WriteAsync(r.Person, NpgsqlDbType.Integer, ct);
                    await writer.WriteAsync(r.CheckIn, NpgsqlDbType.Bigint, ct);
                    await writer.WriteAsync(r.CheckOut, NpgsqlDbType.Bigint, ct);
                }
            }
            await writer.CompleteAsync(ct);
        }
        var added = await c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO checkins (day, venue_id, person_id, check_in, check_out) SELECT DISTINCT day, venue_id, person_id, check_in, check_out FROM staging_checkins ON CONFLICT DO NOTHING",
            transaction: tx, cancellationToken: ct, commandTimeout: 0));
        await s.CommitAsync(ct);
        return added;
    }

    public async Task<IReadOnlyList<CheckinDayInfo>> ListDaysAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<(int Day, long Rows, long Max)>(new CommandDefinition(
            "SELECT day, COUNT(*), MAX(check_out - check_in) FROM checkins GROUP BY day ORDER BY day", cancellationToken: ct, commandTimeout: 0));
        return rows.Select(r => new CheckinDayInfo(r.Day, r.Rows, (int)r.Max)).ToList();
    }

    public async Task<CheckinDay> ReadDayAsync(int day, CancellationToken ct = default)
    {
        var dayStart = db.Calendar.StartOfDay(DeploymentCalendar.FromDayNumber(day));
        var venue = new List<int>();
        var person = new List<int>();
        var start = new List<int>();
        var duration = new List<int>();
        await using var c = (NpgsqlConnection)await db.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand(
            "SELECT venue_id, person_id, check_in, check_out FROM checkins WHERE day = @day ORDER BY venue_id, check_in, person_id, check_out", c);
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
            await s.Connection.ExecuteAsync(new CommandDefinition($"DROP TABLE IF EXISTS checkins_d{d.Day}", transaction: s.Transaction, cancellationToken: ct));
            dropped += d.Rows;
        }
        await s.CommitAsync(ct);
        return dropped;
    }
}
