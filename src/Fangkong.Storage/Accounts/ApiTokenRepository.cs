using System.Security.Cryptography;
using System.Text;
using Dapper;

namespace Fangkong.Storage.Accounts;

/// <summary>
/// API tokens: random 256-bit secrets shown once at creation; only their SHA-256 is stored (a token
/// has full entropy, so a fast hash is enough and keeps each API call cheap). A token acts as its account.
/// </summary>
public static class ApiTokenRepository
{
    public const string Prefix = "fk_";

    public static string HashOf(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Creates a token for the account and returns its secret (not stored).</summary>
    public static async Task<string> CreateAsync(Database db, long accountId, string name, long now, CancellationToken ct = default)
    {
        var token = Prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        await using var c = await db.OpenConnectionAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO api_tokens (account_id, name, token_hash, created_at) VALUES (@accountId, @name, @hash, @now)",
            new { accountId, name, hash = HashOf(token), now }, cancellationToken: ct));
        return token;
    }

    /// <summary>The account of a live token, or null.</summary>
    public static async Task<long?> AccountOfAsync(Database db, string token, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return await c.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            "SELECT account_id FROM api_tokens WHERE token_hash = @hash AND revoked_at IS NULL", new { hash = HashOf(token) }, cancellationToken: ct));
    }

    public static async Task<int> RevokeAsync(Database db, long accountId, string name, long now, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return await c.ExecuteAsync(new CommandDefinition(
            "UPDATE api_tokens SET revoked_at = @now WHERE account_id = @accountId AND name = @name AND revoked_at IS NULL",
            new { accountId, name, now }, cancellationToken: ct));
    }
}
