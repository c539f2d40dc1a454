using Dapper;

namespace Fangkong.Storage.Cases;

/// <summary>A place and time span a case gave in the epidemiological interview (流调), with a note.</summary>
public sealed record InterviewEntry(int PersonId, string Place, long Start, long End, string? Note);

public static class InterviewRepository
{
    private static readonly BulkTable Table = new("interview_entries",
        [("person_id", ColumnKind.Int), ("place", ColumnKind.Text), ("start_at", ColumnKind.Long), ("end_at", ColumnKind.Long), ("note", ColumnKind.Text)], "id", UpdateOnConflict: false);

    public static async Task AddAsync(Database db, InterviewEntry entry, CancellationToken ct = default)
    {
        await using var s = await StoreSession.BeginAsync(db, ct);
        await BulkWriter.UpsertAsync(s, Table, [[entry.PersonId, entry.Place, entry.Start, entry.End, entry.Note]], ct);
        await s.CommitAsync(ct);
    }

    public static async Task<List<InterviewEntry>> ForPersonAsync(Database db, int personId, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<(long Person, string Place, long Start, long End, string? Note)>(new CommandDefinition(
            "SELECT person_id, place, start_at, end_at, note FROM interview_entries WHERE person_id = @personId ORDER BY start_at, id", new { personId }, cancellationToken: ct));
        return rows.Select(r => new InterviewEntry((int)r.Person, r.Place, r.Start, r.End, r.Note)).ToList();
    }
}
