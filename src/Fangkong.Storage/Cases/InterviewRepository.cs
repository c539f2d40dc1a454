using Dapper;

namespace Fangkong.Storage.Cases;

/// <summary>A place and time span a case gave in the epidemiological interview (流调), with a note.</summary>
public sealed record InterviewEntry(int PersonId, string Place, long Start, long End, string? Note);

public static class InterviewRepository
{
    private static readonly BulkTable<InterviewEntry> Table = BulkTable<InterviewEntry>.Of("interview_entries", "id", updateOnConflict: false)
        .Int("person_id", e => e.PersonId).Text("place", e => e.Place).Long("start_at", e => e.Start).Long("end_at", e => e.End).Text("note", e => e.Note);

    public static async Task AddAsync(Database db, InterviewEntry entry, CancellationToken ct = default)
    {
        await using var s = await StoreSession.BeginAsync(db, ct);
        await BulkWriter.UpsertAsync(s, Table, [entry], ct);
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
