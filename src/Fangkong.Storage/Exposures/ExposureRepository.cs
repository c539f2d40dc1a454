using Dapper;
using Fangkong.Exposures;

namespace Fangkong.Storage.Exposures;

/// <summary>A manual exposure between two internal person ids over [Start, End] (Unix seconds).</summary>
public sealed record StoredExposure(int PersonId, int OtherPersonId, ExposureSetting Setting, long Start, long End);

public static class ExposureRepository
{
    private static readonly BulkTable<StoredExposure> Table = BulkTable<StoredExposure>.Of("exposures", "person_id, other_person_id, setting, start_at, end_at", updateOnConflict: false)
        .Int("person_id", e => e.PersonId).Int("other_person_id", e => e.OtherPersonId).Text("setting", e => e.Setting.ToCode()).Long("start_at", e => e.Start).Long("end_at", e => e.End);

    public static async Task<List<StoredExposure>> LoadAllAsync(Database db, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<(long P, long O, string Setting, long Start, long End)>(
            new CommandDefinition("SELECT person_id, other_person_id, setting, start_at, end_at FROM exposures ORDER BY start_at, person_id, other_person_id", cancellationToken: ct));
        return rows.Select(r => new StoredExposure((int)r.P, (int)r.O, Enum.Parse<ExposureSetting>(r.Setting, ignoreCase: true), r.Start, r.End)).ToList();
    }

    /// <summary>
    /// Every exposure as the tracing engine reads it (the two people and the interval), in the store's
    /// order (the engine's choices never depend on it): read row by row into one list, millions of rows
    /// at a province's scale.
    /// </summary>
    public static async Task<List<Fangkong.Tracing.ManualExposure>> LoadForTracingAsync(Database db, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await using var command = c.CreateCommand();
        command.CommandText = "SELECT person_id, other_person_id, start_at, end_at FROM exposures";
        var result = new List<Fangkong.Tracing.ManualExposure>();
        var sqlite = db.Provider == StoreProvider.Sqlite;   // SQLite reads in process: a row by row await only adds cost
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (sqlite ? reader.Read() : await reader.ReadAsync(ct))
            {
                result.Add(new Fangkong.Tracing.ManualExposure((int)reader.GetInt64(0), (int)reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3)));
            }
        }
        return result;
    }

    /// <summary>The exposures in which any of <paramref name="people"/> took part, on either side (each once; by the index of each side).</summary>
    public static async Task<List<Fangkong.Tracing.ManualExposure>> LoadForPeopleAsync(Database db, IReadOnlyCollection<int> people, CancellationToken ct = default)
    {
        var result = new HashSet<Fangkong.Tracing.ManualExposure>();
        await using var c = await db.OpenConnectionAsync(ct);
        foreach (var chunk in people.Distinct().Chunk(500))
        {
            var ids = string.Join(",", chunk);
            var rows = await c.QueryAsync<(long A, long B, long Start, long End)>(new CommandDefinition(
                $"SELECT person_id, other_person_id, start_at, end_at FROM exposures WHERE person_id IN ({ids}) UNION ALL SELECT person_id, other_person_id, start_at, end_at FROM exposures WHERE other_person_id IN ({ids})",
                cancellationToken: ct));
            result.UnionWith(rows.Select(r => new Fangkong.Tracing.ManualExposure((int)r.A, (int)r.B, r.Start, r.End)));
        }
        return [.. result];
    }

    /// <summary>The exposures one person had, on either side, in time order (each index serves one side).</summary>
    public static async Task<List<StoredExposure>> ForPersonAsync(Database db, int personId, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<(long P, long O, string Setting, long Start, long End)>(new CommandDefinition("""
            SELECT person_id, other_person_id, setting, start_at, end_at FROM exposures WHERE person_id = @personId
            UNION ALL
            SELECT person_id, other_person_id, setting, start_at, end_at FROM exposures WHERE other_person_id = @personId AND person_id <> @personId
            ORDER BY 4, 1, 2
            """, new { personId }, cancellationToken: ct));
        return rows.Select(r => new StoredExposure((int)r.P, (int)r.O, Enum.Parse<ExposureSetting>(r.Setting, ignoreCase: true), r.Start, r.End)).ToList();
    }

    /// <summary>Adds the exposures not already stored; returns how many were new.</summary>
    public static Task<long> AddAsync(StoreSession s, IEnumerable<StoredExposure> exposures, CancellationToken ct = default) =>
        BulkWriter.UpsertAsync(s, Table, exposures, ct);
}
