using Dapper;
using Fangkong.Jurisdictions;

namespace Fangkong.Storage.Jurisdictions;

public static class JurisdictionRepository
{
    private static readonly BulkTable<Jurisdiction> Table = BulkTable<Jurisdiction>.Of("jurisdictions", "code", updateOnConflict: true)
        .Text("code", j => j.Code.Value).Text("name", j => j.Name).Text("parent_code", j => j.ParentCode?.Value).Int("level", j => (int)j.Level).Long("population", j => j.Population);

    public static async Task<List<Jurisdiction>> LoadAllAsync(Database db, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<(string Code, string Name, string? Parent, long? Population)>(
            new CommandDefinition("SELECT code, name, parent_code, population FROM jurisdictions ORDER BY code", cancellationToken: ct));
        return rows.Select(r => new Jurisdiction(JurisdictionCode.Parse(r.Code), r.Name, r.Parent is null ? null : JurisdictionCode.Parse(r.Parent), r.Population)).ToList();
    }

    public static Task<long> UpsertAsync(StoreSession s, IEnumerable<Jurisdiction> items, CancellationToken ct = default) =>
        BulkWriter.UpsertAsync(s, Table, items, ct);

    /// <summary>Adds the built-in Ningxia tree when the store has no jurisdictions yet.</summary>
    public static async Task EnsureReferenceAsync(Database db, CancellationToken ct = default)
    {
        await using (var c = await db.OpenConnectionAsync(ct))
        {
            if (await c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM jurisdictions", cancellationToken: ct)) > 0)
            {
                return;
            }
        }
        await using var s = await StoreSession.BeginAsync(db, ct);
        await UpsertAsync(s, NingxiaReference.All, ct);
        await s.CommitAsync(ct);
    }
}
