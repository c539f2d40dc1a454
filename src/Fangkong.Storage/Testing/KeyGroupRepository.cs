using Dapper;

namespace Fangkong.Storage.Testing;

/// <summary>A person's membership of a key group (重点人群) and how often they are tested.</summary>
public sealed record KeyGroupMember(int PersonId, string Group, int FrequencyDays);

/// <summary>The key groups of routine testing: one row a person and group; importing again updates the frequency.</summary>
public static class KeyGroupRepository
{
    private static readonly BulkTable<KeyGroupMember> Table = BulkTable<KeyGroupMember>.Of("key_groups", "person_id, grp", updateOnConflict: true)
        .Int("person_id", m => m.PersonId).Text("grp", m => m.Group).Int("frequency_days", m => m.FrequencyDays);

    public static async Task<List<KeyGroupMember>> LoadAllAsync(Database db, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<(long Person, string Group, long Days)>(new CommandDefinition(
            "SELECT person_id, grp, frequency_days FROM key_groups ORDER BY person_id, grp", cancellationToken: ct));
        return [.. rows.Select(r => new KeyGroupMember((int)r.Person, r.Group, (int)r.Days))];
    }

    /// <summary>Adds the members or updates their frequency; returns the rows added or changed.</summary>
    public static Task<long> UpsertAsync(StoreSession s, IEnumerable<KeyGroupMember> members, CancellationToken ct = default) =>
        BulkWriter.UpsertAsync(s, Table, members, ct);
}
