using Dapper;

namespace Fangkong.Storage.Grid;

/// <summary>
/// The cells of the mobile operator's grid (时空伴随), named by the operator's own cell key. A cell is
/// registered the first time a grid stay names it; its internal id takes a venue's place in the day segments.
/// </summary>
public static class GridCellRepository
{
    /// <summary>Every cell: internal id to the operator's key.</summary>
    public static async Task<Dictionary<int, string>> LoadAllAsync(Database db, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return await LoadAsync(c, null, ct);
    }

    /// <summary>Registers the keys not known yet and returns the id of every cell, in the caller's transaction.</summary>
    public static async Task<Dictionary<string, int>> EnsureAsync(StoreSession s, IReadOnlyCollection<string> keys, CancellationToken ct = default)
    {
        if (keys.Count > 0)
        {
            await s.Connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO grid_cells (cell_key) VALUES (@Key) ON CONFLICT (cell_key) DO NOTHING",
                keys.Select(k => new { Key = k }), s.Transaction, cancellationToken: ct));
        }
        return (await LoadAsync(s.Connection, s.Transaction, ct)).ToDictionary(c => c.Value, c => c.Key, StringComparer.Ordinal);
    }

    private static async Task<Dictionary<int, string>> LoadAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction? tx, CancellationToken ct) =>
        (await c.QueryAsync<(long Id, string Key)>(new CommandDefinition("SELECT id, cell_key FROM grid_cells", transaction: tx, cancellationToken: ct)))
            .ToDictionary(r => (int)r.Id, r => r.Key);
}
