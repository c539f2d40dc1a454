using System.Security.Cryptography;
using System.Text;
using Dapper;

namespace Fangkong.Storage.Accounts;

/// <summary>What a token may do: read (GET only) or write (everything its account may do).</summary>
public enum TokenScope
{
    Read,
    Write,
}

/// <summary>A token as listed: never its secret.</summary>
public sealed record TokenInfo(long Id, long AccountId, string Username, string Name, TokenScope Scope, long CreatedAt, long ExpiresAt, long? RevokedAt, long? LastUsedAt)
{
    /// <summary>The area the token is limited to (a division inside the account's jurisdiction), or null: the account's whole jurisdiction.</summary>
    public string? Area { get; init; }

    public bool LiveAt(long now) => RevokedAt is null && ExpiresAt > now;
}

/// <summary>A live token's account, scope and area (null: the account's whole jurisdiction).</summary>
public sealed record TokenGrant(long TokenId, long AccountId, TokenScope Scope, string? Area = null);

/// <summary>
/// API tokens: random 256-bit secrets shown once at creation; only their SHA-256 is stored (a token
/// has full entropy, so a fast hash is enough and keeps each API call cheap). A token acts as its
/// account within its scope until it expires or is revoked.
/// </summary>
public static class ApiTokenRepository
{
    public const string Prefix = "fk_";

    public static string HashOf(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public static string ToCode(this TokenScope s) => s == TokenScope.Read ? "read" : "write";

    public static bool TryParseScope(string? code, out TokenScope scope)
    {
        (var ok, scope) = code switch { "read" => (true, TokenScope.Read), "write" => (true, TokenScope.Write), _ => (false, TokenScope.Read) };
        return ok;
    }

    /// <summary>Creates a token for the account and returns its number and secret (the secret is not stored).</summary>
    /// <param name="area">A division inside the account's jurisdiction the token is limited to, or null.</param>
    public static async Task<(long Id, string Secret)> CreateAsync(Database db, long accountId, string name, TokenScope scope, long expiresAt, long now, string? area = null, CancellationToken ct = default)
    {
        var token = Prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        await using var c = await db.OpenConnectionAsync(ct);
        var id = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            "INSERT INTO api_tokens (account_id, name, token_hash, created_at, expires_at, scope, area) VALUES (@accountId, @name, @hash, @now, @expiresAt, @scope, @area) RETURNING id",
            new { accountId, name, hash = HashOf(token), now, expiresAt, scope = scope.ToCode(), area }, cancellationToken: ct));
        return (id, token);
    }

    /// <summary>The grant of a live token (not revoked, not expired), or null; a use is remembered by the minute.</summary>
    public static async Task<TokenGrant?> GrantOfAsync(Database db, string token, long now, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<(long Id, long Account, string Scope, long? LastUsed, string? Area)?>(new CommandDefinition(
            "SELECT id, account_id, scope, last_used_at, area FROM api_tokens WHERE token_hash = @hash AND revoked_at IS NULL AND expires_at > @now",
            new { hash = HashOf(token), now }, cancellationToken: ct));
        if (row is not { } r)
        {
            return null;
        }
        if (r.LastUsed is null || now - r.LastUsed >= 60)
        {
            await c.ExecuteAsync(new CommandDefinition("UPDATE api_tokens SET last_used_at = @now WHERE id = @Id", new { now, r.Id }, cancellationToken: ct));
        }
        return new TokenGrant(r.Id, r.Account, TryParseScope(r.Scope, out var s) ? s : TokenScope.Read, r.Area);
    }

    /// <summary>Why a token that grants nothing does not: unknown, revoked or expired (for the audit log).</summary>
    public static async Task<string> WhyNotAsync(Database db, string token, long now, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<(long Id, long? Revoked, long Expires)?>(new CommandDefinition(
            "SELECT id, revoked_at, expires_at FROM api_tokens WHERE token_hash = @hash", new { hash = HashOf(token) }, cancellationToken: ct));
        return row switch
        {
            null => "unknown token",
            { Revoked: not null } r => $"token #{r.Id} revoked",
            { } r when r.Expires <= now => $"token #{r.Id} expired",
            { } r => $"token #{r.Id} account inactive",
        };
    }

    /// <summary>The tokens of one account, or of all, newest first.</summary>
    public static Task<List<TokenInfo>> ListAsync(Database db, long? accountId, CancellationToken ct = default) =>
        QueryAsync(db, "@accountId IS NULL OR t.account_id = @accountId", new { accountId }, ct);

    /// <summary>One token by its number; null when there is none.</summary>
    public static async Task<TokenInfo?> FindAsync(Database db, long id, CancellationToken ct = default) =>
        (await QueryAsync(db, "t.id = @id", new { id }, ct)).SingleOrDefault();

    private static async Task<List<TokenInfo>> QueryAsync(Database db, string where, object args, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<TokenRow>(new CommandDefinition(
            "SELECT t.id AS Id, t.account_id AS Account, a.username AS UserName, t.name AS Name, t.scope AS Scope, t.created_at AS Created, t.expires_at AS Expires, " +
            "t.revoked_at AS Revoked, t.last_used_at AS Used, t.area AS Area FROM api_tokens t JOIN accounts a ON a.id = t.account_id " +
            $"WHERE {where} ORDER BY t.id DESC", args, cancellationToken: ct));
        return rows.Select(r => new TokenInfo(r.Id, r.Account, r.UserName, r.Name, TryParseScope(r.Scope, out var s) ? s : TokenScope.Read, r.Created, r.Expires, r.Revoked, r.Used) { Area = r.Area }).ToList();
    }

    private sealed class TokenRow
    {
        public long Id { get; set; }
        public long Account { get; set; }
        public string UserName { get; set; } = "";
        public string Name { get; set; } = "";
        public string Scope { get; set; } = "";
        public long Created { get; set; }
        public long Expires { get; set; }
        public long? Revoked { get; set; }
        public long? Used { get; set; }
        public string? Area { get; set; }
    }

    /// <summary>Revokes one token; false when it was already revoked or does not exist.</summary>
    public static async Task<bool> RevokeAsync(Database db, long id, long now, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return await c.ExecuteAsync(new CommandDefinition("UPDATE api_tokens SET revoked_at = @now WHERE id = @id AND revoked_at IS NULL", new { id, now }, cancellationToken: ct)) > 0;
    }

    /// <summary>Revokes every live token of an account; returns how many.</summary>
    public static async Task<int> RevokeAllAsync(Database db, long accountId, long now, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return await c.ExecuteAsync(new CommandDefinition("UPDATE api_tokens SET revoked_at = @now WHERE account_id = @accountId AND revoked_at IS NULL", new { accountId, now }, cancellationToken: ct));
    }
}
