using Dapper;

namespace Fangkong.Storage.Policies;

/// <summary>
/// The deployment's choice of policy profile (防控方案), kept in the store: one for the whole store and,
/// optionally, one per jurisdiction (a county that follows a newer edition first). Settings keys
/// <c>policy</c> and <c>policy:{code}</c>; the value is a profile id.
/// </summary>
public static class PolicySettings
{
    private const string Key = "policy";

    /// <summary>The chosen profile ids: <c>""</c> for the store, a jurisdiction code for its override.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> LoadAsync(Database db, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<(string Key, string Value)>(new CommandDefinition(
            "SELECT key, value FROM settings WHERE key = 'policy' OR key LIKE 'policy:%'", cancellationToken: ct));
        return rows.ToDictionary(r => r.Key == Key ? "" : r.Key[(Key.Length + 1)..], r => r.Value, StringComparer.Ordinal);
    }

    /// <summary>Chooses <paramref name="profileId"/> for the store (<paramref name="jurisdiction"/> null) or for one jurisdiction and below.</summary>
    public static async Task SetAsync(Database db, string? jurisdiction, string profileId, CancellationToken ct = default)
    {
        var key = jurisdiction is null ? Key : $"{Key}:{jurisdiction}";
        await using var s = await StoreSession.BeginAsync(db, ct);
        await s.Connection.ExecuteAsync(new CommandDefinition("DELETE FROM settings WHERE key = @key", new { key }, s.Transaction, cancellationToken: ct));
        await s.Connection.ExecuteAsync(new CommandDefinition("INSERT INTO settings (key, value) VALUES (@key, @profileId)", new { key, profileId }, s.Transaction, cancellationToken: ct));
        await s.CommitAsync(ct);
    }

    /// <summary>Removes a jurisdiction's override: it follows the store's choice again.</summary>
    public static async Task ClearAsync(Database db, string jurisdiction, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await c.ExecuteAsync(new CommandDefinition("DELETE FROM settings WHERE key = @key", new { key = $"{Key}:{jurisdiction}" }, cancellationToken: ct));
    }
}
