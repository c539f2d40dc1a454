using System.Text;
using Dapper;

namespace Fangkong.Storage.Contacts;

/// <summary>A row of the contact list: the contact, how they were classified (tier, case, via, exposure) and their control order now.</summary>
public sealed record ContactListRow(
    long PersonId, string PersonKey, string? Name, string? IdNumber, string? Phone, string? Community, string Tier, string IndexKey, string? ViaKey,
    long ExposureStart, long ExposureEnd, long? LastExposure, long? OrderId, string? Status, string? Measure, int? OrderVersion);

/// <summary>Which contacts a list shows: a jurisdiction prefix (empty = all), a tier, a case (its key), a control status ('none' = no order), and text matching the key or the name.</summary>
public sealed record ContactFilter(string Prefix, string? Tier = null, string? CaseKey = null, string? Status = null, string? Text = null);

public static class ContactList
{
    // Settable properties: SQLite gives computed columns no type when no row comes back.
    private sealed class Row
    {
        public long PersonId { get; set; }
        public string PersonKey { get; set; } = "";
        public string? Name { get; set; }
        public string? IdNumber { get; set; }
        public string? Phone { get; set; }
        public string? Community { get; set; }
        public string Tier { get; set; } = "";
        public string IndexKey { get; set; } = "";
        public string? ViaKey { get; set; }
        public long ExposureStart { get; set; }
        public long ExposureEnd { get; set; }
        public long? LastExposure { get; set; }
        public long? OrderId { get; set; }
        public string? Status { get; set; }
        public string? Measure { get; set; }
        public long? OrderVersion { get; set; }

        public ContactListRow ToRow() => new(PersonId, PersonKey, Name, IdNumber, Phone, Community, Tier, IndexKey, ViaKey, ExposureStart, ExposureEnd, LastExposure,
            OrderId, Status, Measure, (int?)OrderVersion);
    }

    private static readonly Dictionary<string, string> Sorts = new(StringComparer.Ordinal)
    {
        ["key"] = "p.person_key",
        ["tier"] = "k.tier",
        ["exposure"] = "k.exposure_start",
        ["status"] = "o.status",
        ["case"] = "ip.person_key",
    };

    /// <param name="countVia">How to obtain the total: given the counting query, the caller may reuse a recent answer (a large list's count is its slowest part).</param>
    public static async Task<Page<ContactListRow>> FindAsync(Database db, ContactFilter f, PageRequest page, Func<Func<Task<long>>, Task<long>>? countVia = null, CancellationToken ct = default)
    {
        var where = new StringBuilder("WHERE 1=1");
        // Each filter brings in only the table it needs, so that counting a large list stays cheap.
        var joins = new SortedSet<string>(StringComparer.Ordinal);
        if (f.Prefix.Length > 0)
        {
            where.Append(" AND p.community_code LIKE @like");
            joins.Add(PersonJoin);
        }
        if (!string.IsNullOrWhiteSpace(f.Tier))
        {
            where.Append(" AND k.tier = @Tier");
        }
        if (!string.IsNullOrWhiteSpace(f.CaseKey))
        {
            where.Append(" AND ip.person_key = @CaseKey");
            joins.Add(IndexJoin);
        }
        if (f.Status == "none")
        {
            where.Append(" AND o.id IS NULL");
            joins.Add(OrderJoin);
        }
        else if (!string.IsNullOrWhiteSpace(f.Status))
        {
            where.Append(" AND o.status = @Status");
            joins.Add(OrderJoin);
        }
        if (!string.IsNullOrWhiteSpace(f.Text))
        {
            where.Append(" AND (p.person_key = @text OR p.name LIKE @textLike)");
            joins.Add(PersonJoin);
        }
        var args = new { like = f.Prefix + "%", f.Tier, f.CaseKey, f.Status, text = f.Text?.Trim(), textLike = "%" + f.Text?.Trim() + "%", page.Offset, page.Limit };
        await using var c = await db.OpenConnectionAsync(ct);
        Task<long> Count() => c.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT COUNT(*) FROM contacts k {string.Join(" ", joins.OrderBy(Order))} {where}", args, cancellationToken: CancellationToken.None));
        var total = countVia is null ? await Count() : await countVia(Count);
        // The page's keys first (only the joins that filter or sort), then everything shown for those rows alone.
        var sortJoin = page.Sort switch { "key" => PersonJoin, "case" => IndexJoin, "status" => OrderJoin, _ => null };
        var pageJoins = sortJoin is null ? joins : new SortedSet<string>(joins.Append(sortJoin), StringComparer.Ordinal);
        var rows = await c.QueryAsync<Row>(new CommandDefinition($"""
            SELECT p.id AS PersonId, p.person_key AS PersonKey, p.name AS Name, p.id_number AS IdNumber, p.phone AS Phone, p.community_code AS Community,
                   k.tier AS Tier, ip.person_key AS IndexKey, vp.person_key AS ViaKey, k.exposure_start AS ExposureStart, k.exposure_end AS ExposureEnd,
                   k.last_exposure AS LastExposure, o.id AS OrderId, o.status AS Status, o.measure AS Measure, o.version AS OrderVersion
            FROM (SELECT k.person_id
                  FROM contacts k {string.Join(" ", pageJoins.OrderBy(Order))} {InTierOrder(db, f, page, where)}
                  {page.OrderBy(Sorts, "k.tier", "k.person_id")}
                  LIMIT @Limit OFFSET @Offset) pick
            JOIN contacts k ON k.person_id = pick.person_id
            {PersonJoin} {IndexJoin} {OrderJoin}
            LEFT JOIN persons vp ON vp.id = k.via_person_id
            {page.OrderBy(Sorts, "k.tier", "k.person_id")}
            """, args, cancellationToken: ct));
        return new Page<ContactListRow>(rows.Select(r => r.ToRow()).ToList(), total, page);
    }

    /// <summary>
    /// SQLite alone: for a county or a city (a large share of everyone), walking contacts in tier order
    /// and testing each person's community finds a page sooner than gathering and sorting the whole
    /// jurisdiction; unary '+' keeps the planner off the community index for the page (not the count).
    /// </summary>
    private static string InTierOrder(Database db, ContactFilter f, PageRequest page, StringBuilder where) =>
        db.Provider == StoreProvider.Sqlite && f.Prefix.Length is 4 or 6 && page.Sort is null or "tier"
            ? where.ToString().Replace("p.community_code LIKE", "+p.community_code LIKE", StringComparison.Ordinal)
            : where.ToString();

    private const string PersonJoin = "JOIN persons p ON p.id = k.person_id";
    private const string IndexJoin = "JOIN persons ip ON ip.id = k.index_person_id";
    private const string OrderJoin = "LEFT JOIN control_orders o ON o.person_id = k.person_id AND o.active = 1";

    private static int Order(string join) => join == PersonJoin ? 0 : join == IndexJoin ? 1 : 2;
}
