using Fangkong.Application.Accounts;
using Fangkong.Storage;
using Fangkong.Storage.Accounts;
using Fangkong.Text;
using Fangkong.Web.Audit;

namespace Fangkong.Web.Accounts;

/// <summary>
/// Checks a username and password. Every outcome looks the same to the caller (no user
/// enumeration: an unknown user costs a hash too, and locked accounts get the same answer), and every
/// attempt is audited. After <see cref="FailuresBeforeLockout"/> failures from one address the account is
/// locked for <see cref="Lockout"/> from that address only: nobody elsewhere can lock its owner out.
/// </summary>
public sealed class SignInService(Database db, AuditTrail audit, TimeProvider clock)
{
    public const int FailuresBeforeLockout = 5;
    public static readonly TimeSpan Lockout = TimeSpan.FromMinutes(15);

    private static readonly string DummyHash = Passwords.Hash("not a password of anyone");

    /// <param name="address">The client's address: failures and lock-outs are counted per account and address.</param>
    public async Task<Account?> TryAsync(string username, string password, string address, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var account = string.IsNullOrWhiteSpace(username) ? null : await AccountRepository.FindAsync(db, username.Trim(), ct);
        if (account is null || !account.Active)
        {
            Passwords.Verify(DummyHash, password, out _);
            await audit.RecordAsync("signin.failed", $"account:{username.Trim()}", AuditDetail.Write("signinUnknown"), actor: "anonymous");
            return null;
        }
        if (await AccountRepository.LockedUntilAsync(db, account.Id, address, ct) is { } until && until > now)
        {
            Passwords.Verify(DummyHash, password, out _);
            await audit.RecordAsync("signin.locked", $"account:{account.Username}", AuditDetail.Write("signinLocked", address), actor: account.Username, scope: account.Jurisdiction.Value);
            return null;
        }
        if (!Passwords.Verify(account.PasswordHash, password, out var rehashed))
        {
            var lockUntil = now + (long)Lockout.TotalSeconds;
            var failures = await AccountRepository.RecordFailureAsync(db, account.Id, address, FailuresBeforeLockout, lockUntil, ct);
            await audit.RecordAsync("signin.failed", $"account:{account.Username}",
                failures >= FailuresBeforeLockout ? AuditDetail.Write("signinLockedNow", Phrase.Number((long)Lockout.TotalMinutes), address) : AuditDetail.Write("signinWrongPassword", Phrase.Number(failures)), actor: account.Username, scope: account.Jurisdiction.Value);
            return null;
        }
        await AccountRepository.RecordSuccessAsync(db, account.Id, rehashed, ct);
        await AccountRepository.ClearFailuresAsync(db, account.Id, address, ct);
        await audit.RecordAsync("signin", $"account:{account.Username}", "", actor: account.Username, scope: account.Jurisdiction.Value);
        return account;
    }
}
