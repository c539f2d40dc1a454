using Dapper;
using Fangkong.People;

namespace Fangkong.Storage.People;

/// <summary>How a search matched a person: by a key, a document number, a phone number or the start of the name.</summary>
public enum PersonMatch
{
    Key,
    Document,
    Phone,
    Name,
}

/// <summary>A person found by a search, and how.</summary>
public sealed record PersonHit(StoredPerson Stored, PersonMatch Match);

/// <summary>
/// Finds people the way a field worker asks (找人): a person_id, a document number or a mobile number
/// finds that person exactly, anywhere in the store (the caller masks those outside the viewer's
/// jurisdiction); the start of a name finds people inside a jurisdiction only, so that a name can
/// never list the people of another county. Merged and pseudonymized records are never found.
/// Each kind of match is one indexed look-up.
/// </summary>
public static class PersonSearch
{
    /// <summary>The people matching <paramref name="query"/>; names only under <paramref name="prefix"/> (a jurisdiction code prefix; empty = everywhere).</summary>
    public static async Task<List<PersonHit>> FindAsync(Database db, string query, string prefix, int limit, CancellationToken ct = default)
    {
        var q = query.Trim();
        var hits = new List<PersonHit>();
        if (q.Length == 0)
        {
            return hits;
        }
        await using var c = await db.OpenConnectionAsync(ct);
        var seen = new HashSet<int>();
        async Task AddAsync(string where, object args, PersonMatch match)
        {
            var rows = await c.QueryAsync<PersonRepository.Row>(new CommandDefinition(
                $"SELECT {PersonRepository.SelectColumns} FROM persons WHERE ({where}) AND merged_into IS NULL AND (id_type IS NULL OR id_type <> 'pseudonym') ORDER BY name, person_key LIMIT {limit}",
                args, cancellationToken: ct));
            foreach (var r in rows)
            {
                if (hits.Count < limit && seen.Add((int)r.Id))
                {
                    hits.Add(new PersonHit(r.ToStored(), match));
                }
            }
        }

        if (await PersonRepository.FindAsync(db, q, ct) is { MergedInto: null } byKey)
        {
            seen.Add(byKey.Id);
            hits.Add(new PersonHit(byKey, PersonMatch.Key));
        }
        var upper = q.ToUpperInvariant();
        if (upper.Length is 15 or 18 || upper.Any(char.IsDigit) && upper.All(char.IsAsciiLetterOrDigit) && upper.Length >= 6)
        {
            await AddAsync("id_number = @upper", new { upper }, PersonMatch.Document);
        }
        var digits = q.StartsWith("+86", StringComparison.Ordinal) ? q[3..] : q;
        if (PhoneNumber.IsValid(digits))
        {
            await AddAsync("phone = @digits OR phone = @plus", new { digits, plus = "+86" + digits }, PersonMatch.Phone);
        }
        if (!q.Any(char.IsDigit))
        {
            // A prefix of the name as an index range (SQLite) or a left-anchored pattern (PostgreSQL's text_pattern_ops index).
            var like = prefix + "%";
            if (db.Provider == StoreProvider.Sqlite)
            {
                await AddAsync("name >= @q AND name < @end AND community_code LIKE @like", new { q, end = q + "\U0010FFFF", like }, PersonMatch.Name);
            }
            else
            {
                var pattern = q.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
                await AddAsync("name LIKE @pattern AND community_code LIKE @like", new { pattern, like }, PersonMatch.Name);
            }
        }
        return hits;
    }
}
