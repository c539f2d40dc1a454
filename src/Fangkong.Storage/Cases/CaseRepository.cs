using Dapper;
using Fangkong.Cases;

namespace Fangkong.Storage.Cases;


public static class CaseRepository
{
    private static readonly BulkTable<(StoredCase K, long Now)> Table = BulkTable<(StoredCase K, long Now)>.Of("cases", "person_id", updateOnConflict: true)
        .Int("person_id", r => r.K.PersonId).Text("classification", r => r.K.Classification.ToCode())
        .Text("onset_date", r => r.K.OnsetDate?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)).Long("sampling_time", r => r.K.SamplingTime)
        .Long("report_time", r => r.K.ReportTime).Long("isolation_time", r => r.K.IsolationTime).Long("updated_at", r => r.Now);

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
        return BulkWriter.UpsertAsync(s, Table, cases.Select(k => (k, now)), ct);
    }

    /// <summary>Stores one case (new or changed) in its own transaction.</summary>
    public static async Task SaveAsync(Database db, StoredCase record, CancellationToken ct = default)
    {
        await using var s = await StoreSession.BeginAsync(db, ct);
        await UpsertAsync(s, [record], ct);
        await s.CommitAsync(ct);
    }
}
