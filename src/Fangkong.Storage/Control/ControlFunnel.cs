using Dapper;

namespace Fangkong.Storage.Control;

/// <summary>How many active orders stand at each step of the loop, per group, in a jurisdiction (code prefix; empty = all).</summary>
public static class ControlFunnel
{
    public static async Task<Dictionary<(string Group, string Status), int>> LoadAsync(Database db, string prefix, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<(string Grp, string Status, long N)>(new CommandDefinition($"""
            SELECT o.grp, o.status, COUNT(*) FROM control_orders o JOIN persons p ON p.id = o.person_id
            WHERE o.active = 1 {(prefix.Length == 0 ? "" : "AND p.community_code LIKE @like")}
            GROUP BY o.grp, o.status
            """, new { like = prefix + "%" }, cancellationToken: ct));
        return rows.ToDictionary(r => (r.Grp, r.Status), r => (int)r.N);
    }
}
