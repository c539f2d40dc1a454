using Dapper;

namespace Fangkong.Storage.Cases;

/// <summary>A case at one end of a transmission link: its key, its report time and the tier it was traced in.</summary>
public sealed record LinkedCase(string PersonKey, long ReportTime, string? Tier);

/// <summary>
/// The case → case links of a transmission chain: the case this one was traced from (its source), and
/// the cases traced from this one (contacts of it who became cases), the first of them by report time.
/// </summary>
public static class CaseLinks
{
    public static async Task<(LinkedCase? Source, List<LinkedCase> Onward)> LoadAsync(Database db, int personId, int limit, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var source = await c.QueryFirstOrDefaultAsync<(string Key, long Report, string Tier)?>(new CommandDefinition("""
            SELECT p.person_key, k.report_time, x.tier FROM (
                SELECT t.index_person_id AS source, t.tier FROM contacts t WHERE t.person_id = @personId
                UNION ALL
                SELECT o.source_case_id, o.grp FROM control_orders o WHERE o.person_id = @personId AND o.status = 'converted_to_case' AND o.source_case_id <> @personId
            ) x
            JOIN cases k ON k.person_id = x.source AND k.classification <> 'not_a_case'
            JOIN persons p ON p.id = x.source
            ORDER BY k.report_time DESC
            LIMIT 1
            """, new { personId }, cancellationToken: ct));
        // A contact who became a case: still listed as the case's contact, or their order converted to the case (the source is found the same two ways).
        var onward = await c.QueryAsync<(string Key, long Report, string? Tier)>(new CommandDefinition("""
            SELECT p.person_key, k.report_time, MIN(x.tier) FROM (
                SELECT t.person_id, t.tier FROM contacts t WHERE t.index_person_id = @personId
                UNION ALL
                SELECT o.person_id, o.grp FROM control_orders o WHERE o.source_case_id = @personId AND o.status = 'converted_to_case'
            ) x
            JOIN cases k ON k.person_id = x.person_id AND k.classification <> 'not_a_case'
            JOIN persons p ON p.id = x.person_id
            WHERE x.person_id <> @personId
            GROUP BY p.person_key, k.report_time
            ORDER BY k.report_time, p.person_key
            LIMIT @limit
            """, new { personId, limit }, cancellationToken: ct));
        return (source is { } s ? new LinkedCase(s.Key, s.Report, s.Tier) : null, [.. onward.Select(o => new LinkedCase(o.Key, o.Report, o.Tier))]);
    }
}
