using Dapper;
using Fangkong.Cases;

namespace Fangkong.Storage.Cases;


public static class CaseRepository
{
    private static readonly BulkTable Table = new("cases",
    [
        ("person_id", ColumnKind.Int), ("classification", ColumnKind.Text), ("onset_date", ColumnKind.Text), ("sampling_time", ColumnKind.Long),
        ("report_time", ColumnKind.Long), ("isolation_time", ColumnKind.Long), ("updated_at", ColumnKind.Long),
    ], "person_id", UpdateOnConflict: true);

    public static async Task<List<StoredCase>> LoadAllAsync(Database db, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<(long PersonId, string Classification, string? Onset, long? Sampling, long Report, long? Isolation)>(
            new CommandDefinition("SELECT person_id, classification, onset_date, sampling_time, report_time, isolation_time FROM cases ORDER BY person_id", cancellationToken: ct));
        return rows.Select(r => new StoredCase((int)r.PersonId, CaseClassifications.ParseStored(r.Classification),
            r.Onset is null ? null : DateOnly.ParseExact(r.Onset, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            r.Sampling, r.Report, r.Isolation)).ToList();
    }

    public static Task<long> UpsertAsync(StoreSession s, IEnumerable<StoredCase> cases, CancellationToken ct = default)
    {
        var now = s.Db.Now;
        return BulkWriter.UpsertAsync(s, Table, cases.Select(k => new object?[]
        {
            k.PersonId, k.Classification.ToCode(), k.OnsetDate?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            k.SamplingTime, k.ReportTime, k.IsolationTime, now,
        }), ct);
    }

    /// <summary>Stores one case (new or changed) in its own transaction.</summary>
    public static async Task SaveAsync(Database db, StoredCase record, CancellationToken ct = default)
    {
        await using var s = await StoreSession.BeginAsync(db, ct);
        await UpsertAsync(s, [record], ct);
        await s.CommitAsync(ct);
    }
}
