using Fangkong.Storage;
using Fangkong.Storage.Accounts;
using Microsoft.Extensions.Caching.Memory;

namespace Fangkong.Web.Access;

/// <summary>
/// The account behind an API token, remembered for <see cref="Freshness"/> so that busy clients do not
/// cost two lookups a call. A revoked token or a deactivated account stops working within that time.
/// </summary>
public sealed class TokenCache(Database db, IMemoryCache cache)
{
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(30);

    public async Task<Account?> AccountAsync(string token, CancellationToken ct)
    {
        var key = "token:" + ApiTokenRepository.HashOf(token);
        if (cache.TryGetValue(key, out Account? account))
        {
            return account;
        }
        account = await ApiTokenRepository.AccountOfAsync(db, token, ct) is { } id ? await AccountRepository.FindAsync(db, id, ct) : null;
        cache.Set(key, account is { Active: true } ? account : null, Freshness);
        return account is { Active: true } ? account : null;
    }
}
