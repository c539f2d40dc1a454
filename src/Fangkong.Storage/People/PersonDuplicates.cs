using Dapper;

namespace Fangkong.Storage.People;

/// <summary>Records that share a name and a mobile number: perhaps one person under two keys, for someone to review.</summary>
public sealed record DuplicateGroup(string Name, string Phone, IReadOnlyList<StoredPerson> Members)
{
    /// <summary>False when two members carry different document numbers of one type: two people, whatever else they share.</summary>
    public bool Mergeable => Members.Where(m => m.Person.IdNumber is not null).Select(m => (m.Person.IdType, m.Person.IdNumber)).Distinct().GroupBy(d => d.IdType).All(t => t.Count() == 1);
}

/// <summary>
/// Duplicate candidates (SPEC C1): living records under a jurisdiction with the same name and the same
/// mobile number. Listed for review only; nothing here merges anyone (<c>person merge</c> and the
/// review screen do, by a person's decision). Records with different document numbers of one type are
/// listed too (one of the numbers may be a typo) but cannot be merged.
/// </summary>
public static class PersonDuplicates
{
    private const string Living = "merged_into IS NULL AND name IS NOT NULL AND phone IS NOT NULL AND (id_type IS NULL OR id_type <> 'pseudonym') AND (@like = '%' OR community_code LIKE @like)";

    /// <summary>One page of groups, ordered by name and phone, and the number of groups in all.</summary>
    public static async Task<Page<DuplicateGroup>> ListAsync(Database db, string prefix, PageRequest page, CancellationToken ct = default)
    {
        var like = prefix + "%";
        await using var c = await db.OpenConnectionAsync(ct);
        var groups = $"SELECT name, phone FROM persons WHERE {Living} GROUP BY name, phone HAVING COUNT(*) > 1";
        var total = await c.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT COUNT(*) FROM ({groups}) g", new { like }, cancellationToken: ct));
        var rows = await c.QueryAsync<PersonRepository.Row>(new CommandDefinition(
            $"SELECT {Qualified} FROM persons p JOIN ({groups} ORDER BY name, phone LIMIT {page.Limit} OFFSET {page.Offset}) g ON p.name = g.name AND p.phone = g.phone " +
            $"WHERE p.merged_into IS NULL AND (p.id_type IS NULL OR p.id_type <> 'pseudonym') AND (@like = '%' OR p.community_code LIKE @like) ORDER BY p.name, p.phone, p.id",
            new { like }, cancellationToken: ct));
        var list = rows.Select(r => r.ToStored()).GroupBy(p => (p.Person.Name!, p.Person.Phone!))
            .Select(g => new DuplicateGroup(g.Key.Item1, g.Key.Item2, [.. g])).ToList();
        return new Page<DuplicateGroup>(list, total, page);
    }

    private static readonly string Qualified = string.Join(", ", PersonRepository.SelectColumns.Split(", ").Select(c => "p." + c));
}
