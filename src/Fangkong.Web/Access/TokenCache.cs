using Fangkong.Storage;
using Fangkong.Storage.Accounts;
using Microsoft.Extensions.Caching.Memory;

namespace Fangkong.Web.Access;

/// <summary>A live token's account and what the token may do.</summary>
public sealed record TokenHolder(Account Account, TokenGrant Grant);

/// <summary>
/// The account behind an API token, remembered for <see cref="Freshness"/> so that busy clients do not
/// cost two lookups a call. A revoked or expired token, or a deactivated account, stops working within that time.
/// </summary>
public sealed class TokenCache(Database db, IMemoryCache cache, TimeProvider clock)
{
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(10);

    public async Task<TokenHolder?> HolderAsync(string token, CancellationToken ct)
    {
        var key = "token:" + ApiTokenRepository.HashOf(token);
        if (cache.TryGetValue(key, out TokenHolder? holder))
        {
            return holder;
        }
        var grant = await ApiTokenRepository.GrantOfAsync(db, token, clock.GetUtcNow().ToUnixTimeSeconds(), ct);
        var account = grant is null ? null : await AccountRepository.FindAsync(db, grant.AccountId, ct);
        holder = account is { Active: true } ? new TokenHolder(account, grant!) : null;
        cache.Set(key, holder, Freshness);
        return holder;
    }

    /// <summary>Why a token that opened nothing did not (unknown, revoked, expired, account inactive), for the audit log.</summary>
    public Task<string> WhyNotAsync(string token, CancellationToken ct) => ApiTokenRepository.WhyNotAsync(db, token, clock.GetUtcNow().ToUnixTimeSeconds(), ct);
}
