using System.Text;
using Dapper;

namespace Fangkong.Storage.Cases;

/// <summary>A row of the case list: the case, its person and how many contacts it has by tier.</summary>
public sealed record CaseListRow(
    long PersonId, string PersonKey, string? Name, string? IdNumber, string? Phone, string? Community, string Classification,
    string? OnsetDate, long ReportTime, long? IsolationTime, long CloseContacts, long SecondaryContacts);

/// <summary>Which cases a list shows: a jurisdiction prefix (empty = all), a classification, and text matching the key or the name.</summary>
public sealed record CaseFilter(string Prefix, string? Classification = null, string? Text = null);

public static class CaseList
{
    // Settable properties, not the record's constructor: SQLite gives computed columns no type when no row comes back.
    private sealed class Row
    {
        public long PersonId { get; set; }
        public string PersonKey { get; set; } = "";
        public string? Name { get; set; }
        public string? IdNumber { get; set; }
        public string? Phone { get; set; }
        public string? Community { get; set; }
        public string Classification { get; set; } = "";
        public string? OnsetDate { get; set; }
        public long ReportTime { get; set; }
        public long? IsolationTime { get; set; }
        public long CloseContacts { get; set; }
        public long SecondaryContacts { get; set; }

        public CaseListRow ToRow() => new(PersonId, PersonKey, Name, IdNumber, Phone, Community, Classification, OnsetDate, ReportTime, IsolationTime, CloseContacts, SecondaryContacts);
    }

    private static readonly Dictionary<string, string> Sorts = new(StringComparer.Ordinal)
    {
        ["report"] = "k.report_time",
        ["onset"] = "k.onset_date",
        ["key"] = "p.person_key",
        ["close"] = "COALESCE(n.close_contacts, 0)",
        ["classification"] = "k.classification",
    };

    private const string CountsByCase = """
        LEFT JOIN (SELECT index_person_id, SUM(CASE WHEN tier = 'close' THEN 1 ELSE 0 END) AS close_contacts
                   FROM contacts GROUP BY index_person_id) n ON n.index_person_id = k.person_id
        """;

    /// <summary>Close and secondary contacts of every case, by the case's person id.</summary>
    public static async Task<IReadOnlyDictionary<long, (long Close, long Secondary)>> ContactCountsAsync(Database db, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<(long Index, long Close, long Secondary)>(new CommandDefinition(
            "SELECT index_person_id, SUM(CASE WHEN tier = 'close' THEN 1 ELSE 0 END), SUM(CASE WHEN tier = 'secondary' THEN 1 ELSE 0 END) FROM contacts GROUP BY index_person_id",
            cancellationToken: ct));
        return rows.ToDictionary(r => r.Index, r => (r.Close, r.Secondary));
    }

    /// <param name="counts">Contact counts to show (e.g. a recent <see cref="ContactCountsAsync"/>); when null they are counted for the page's cases.</param>
    public static async Task<Page<CaseListRow>> FindAsync(Database db, CaseFilter f, PageRequest page, IReadOnlyDictionary<long, (long Close, long Secondary)>? counts = null, CancellationToken ct = default)
    {
        var where = new StringBuilder("WHERE 1=1");
        if (f.Prefix.Length > 0)
        {
            where.Append(" AND p.community_code LIKE @like");
        }
        if (!string.IsNullOrWhiteSpace(f.Classification))
        {
            where.Append(" AND k.classification = @Classification");
        }
        if (!string.IsNullOrWhiteSpace(f.Text))
        {
            where.Append(" AND (p.person_key = @text OR p.name LIKE @textLike)");
        }
        var args = new { like = f.Prefix + "%", f.Classification, text = f.Text?.Trim(), textLike = "%" + f.Text?.Trim() + "%", page.Offset, page.Limit };
        await using var c = await db.OpenConnectionAsync(ct);
        var total = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT COUNT(*) FROM cases k JOIN persons p ON p.id = k.person_id {where}", args, cancellationToken: ct));
        // Contacts are aggregated over all cases only when the list is sorted by that number; otherwise counted for the page's cases.
        var rows = (await c.QueryAsync<Row>(new CommandDefinition($"""
            SELECT CAST(k.person_id AS BIGINT) AS PersonId, p.person_key AS PersonKey, p.name AS Name, p.id_number AS IdNumber, p.phone AS Phone, p.community_code AS Community,
                   k.classification AS Classification, k.onset_date AS OnsetDate, k.report_time AS ReportTime, k.isolation_time AS IsolationTime
            FROM cases k JOIN persons p ON p.id = k.person_id {(page.Sort == "close" ? CountsByCase : "")}
            {where}
            {page.OrderBy(Sorts, "k.report_time", "k.person_id")}
            LIMIT @Limit OFFSET @Offset
            """, args, cancellationToken: ct))).ToList();
        if (counts is not null)
        {
            foreach (var r in rows)
            {
                (r.CloseContacts, r.SecondaryContacts) = counts.GetValueOrDefault(r.PersonId);
            }
        }
        else if (rows.Count > 0)
        {
            var tally = (await c.QueryAsync<(long Index, string Tier, long N)>(new CommandDefinition(
                $"SELECT index_person_id, tier, COUNT(*) FROM contacts WHERE index_person_id IN ({string.Join(",", rows.Select(r => r.PersonId))}) GROUP BY index_person_id, tier",
                cancellationToken: ct))).ToLookup(t => t.Index);
            foreach (var r in rows)
            {
                r.CloseContacts = tally[r.PersonId].Where(t => t.Tier == "close").Sum(t => t.N);
                r.SecondaryContacts = tally[r.PersonId].Where(t => t.Tier == "secondary").Sum(t => t.N);
            }
        }
        return new Page<CaseListRow>(rows.Select(r => r.ToRow()).ToList(), total, page);
    }
}
