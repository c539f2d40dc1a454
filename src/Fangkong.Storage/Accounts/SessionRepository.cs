using System.Security.Cryptography;
using Dapper;

namespace Fangkong.Storage.Accounts;

/// <summary>
/// The deployment's limits of a signed-in session: idle time, absolute lifetime, and how long a password
/// entered again before a bulk export of personal data holds for further exports.
/// </summary>
public sealed record SessionLimits(TimeSpan Idle, TimeSpan Lifetime, TimeSpan ExportConfirmation)
{
    public static readonly SessionLimits Default = new(TimeSpan.FromMinutes(60), TimeSpan.FromHours(12), TimeSpan.FromMinutes(5));
}

/// <summary>
/// Server-side sessions of the command centre. The cookie carries a random secret; only its SHA-256
/// is stored. A session is live while its row is open and within the limits; a session past a limit
/// is ended on its next use. Sign-out ends one session; a password reset or a deactivation all of the account's.
/// </summary>
public static class SessionRepository
{
    /// <summary>How stale the last-seen time may get before a request writes it again (keeps reads read-only).</summary>
    private const long TouchEverySeconds = 60;

    public static async Task<string> StartAsync(Database db, long accountId, long now, string source, CancellationToken ct = default)
    {
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        await using var c = await db.OpenConnectionAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO sessions (account_id, secret_hash, started_at, last_seen_at, source) VALUES (@accountId, @hash, @now, @now, @source)",
            new { accountId, hash = ApiTokenRepository.HashOf(secret), now, source }, cancellationToken: ct));
        return secret;
    }

    /// <summary>The account of a live session, or null (unknown, ended, idle too long or too old: then ended now, with the reason).</summary>
    public static async Task<long?> LiveAccountAsync(Database db, string secret, long now, SessionLimits limits, CancellationToken ct = default)
    {
        var hash = ApiTokenRepository.HashOf(secret);
        await using var c = await db.OpenConnectionAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<(long Id, long Account, long Started, long LastSeen, long? Ended)?>(new CommandDefinition(
            "SELECT id, account_id, started_at, last_seen_at, ended_at FROM sessions WHERE secret_hash = @hash", new { hash }, cancellationToken: ct));
        if (row is not { Ended: null } s)
        {
            return null;
        }
        var reason = now - s.Started > (long)limits.Lifetime.TotalSeconds ? "lifetime" : now - s.LastSeen > (long)limits.Idle.TotalSeconds ? "idle" : null;
        if (reason is not null)
        {
            await c.ExecuteAsync(new CommandDefinition("UPDATE sessions SET ended_at = @now, ended_reason = @reason WHERE id = @Id AND ended_at IS NULL",
                new { now, reason, s.Id }, cancellationToken: ct));
            return null;
        }
        if (now - s.LastSeen >= TouchEverySeconds)
        {
            await c.ExecuteAsync(new CommandDefinition("UPDATE sessions SET last_seen_at = @now WHERE id = @Id", new { now, s.Id }, cancellationToken: ct));
        }
        return s.Account;
    }

    /// <summary>Records that the session's user has just entered their password again (before a bulk export).</summary>
    public static async Task ConfirmAsync(Database db, string secret, long now, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await c.ExecuteAsync(new CommandDefinition("UPDATE sessions SET confirmed_at = @now WHERE secret_hash = @hash AND ended_at IS NULL",
            new { now, hash = ApiTokenRepository.HashOf(secret) }, cancellationToken: ct));
    }

    /// <summary>Whether the (open) session's user entered their password again no longer than <paramref name="window"/> before <paramref name="now"/>.</summary>
    public static async Task<bool> ConfirmedWithinAsync(Database db, string secret, long now, TimeSpan window, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var at = await c.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT confirmed_at FROM sessions WHERE secret_hash = @hash AND ended_at IS NULL",
            new { hash = ApiTokenRepository.HashOf(secret) }, cancellationToken: ct));
        return at is { } t && t <= now && now - t <= (long)window.TotalSeconds;
    }

    /// <summary>Ends one session (sign-out); true when it was live.</summary>
    public static async Task<bool> EndAsync(Database db, string secret, long now, string reason, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return await c.ExecuteAsync(new CommandDefinition("UPDATE sessions SET ended_at = @now, ended_reason = @reason WHERE secret_hash = @hash AND ended_at IS NULL",
            new { now, reason, hash = ApiTokenRepository.HashOf(secret) }, cancellationToken: ct)) > 0;
    }

    /// <summary>Ends every live session of an account; returns how many.</summary>
    public static async Task<int> EndAllAsync(Database db, long accountId, long now, string reason, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return await c.ExecuteAsync(new CommandDefinition("UPDATE sessions SET ended_at = @now, ended_reason = @reason WHERE account_id = @accountId AND ended_at IS NULL",
            new { now, reason, accountId }, cancellationToken: ct));
    }

    /// <summary>How many sessions of an account are open (not ended; one past a limit counts until its next use ends it).</summary>
    public static async Task<long> OpenCountAsync(Database db, long accountId, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return await c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM sessions WHERE account_id = @accountId AND ended_at IS NULL", new { accountId }, cancellationToken: ct));
    }
}
