using Fangkong.Application.Access;
using Fangkong.Application.Audit;
using Fangkong.Control;
using Fangkong.Jurisdictions;
using Fangkong.Staff;
using Fangkong.Storage;
using Fangkong.Storage.Accounts;
using Fangkong.Storage.People;
using Fangkong.Storage.Staff;
using Fangkong.Text;

namespace Fangkong.Application.Accounts;

/// <param name="Jurisdiction">The GB/T 2260 code the account works for; for a member of the public, their community when null.</param>
/// <param name="StaffKey">The member of staff the account is (their tasks are 'my tasks').</param>
/// <param name="PersonKey">For a member of the public: the person_id of their own record.</param>
public sealed record CreateAccountCommand(string Username, string Name, StaffRole Role, string? Jurisdiction, string? StaffKey, string? PersonKey, string Password);

/// <param name="Days">How long the token lives (1–365 days).</param>
/// <param name="Area">A division inside the account's jurisdiction the token is limited to (a lab's token for one county), or null.</param>
public sealed record IssueTokenCommand(string Username, string Name, TokenScope Scope, int Days, string? Area = null);

/// <summary>A new token: its listing and its secret, shown once.</summary>
public sealed record IssuedToken(TokenInfo Token, string Secret);

/// <summary>
/// The accounts of the command centre, kept by the operator (permission <see cref="Permission.ManageAccounts"/>):
/// create, reset a password, deactivate, issue and revoke API tokens. A password reset and a
/// deactivation end every session of the account at once; a deactivation also revokes its tokens.
/// Every change is audited (<c>account.*</c>, <c>token.*</c>); accounts and tokens run on real time,
/// never on a store's simulated clock.
/// </summary>
public sealed class AccountAdmin(Database db, AuditSink audit, TimeProvider clock)
{
    public const int MaxTokenDays = 365;

    private long Now => clock.GetUtcNow().ToUnixTimeSeconds();

    public Task<Account> CreateAsync(Actor actor, CreateAccountCommand command, CancellationToken ct = default)
    {
        actor.Require(Permission.ManageAccounts);
        var user = command.Username.Trim();
        return audit.AuditedAsync(actor, "account.create", $"account:{user}", async () =>
        {
            if (user.Length is < 3 or > 64 || !user.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '.' or '-' or '_'))
            {
                throw new RefusedException($"username '{user}' must be 3–64 letters, digits, '.', '-' or '_'", "account.username", user);
            }
            RequireStrong(command.Password);
            if (string.IsNullOrWhiteSpace(command.Name) || command.Name.Length > 100)
            {
                throw new RefusedException("the display name must be 1–100 characters", "account.name");
            }
            long? personId = null;
            string? home = null;
            if (command.Role == StaffRole.Person)
            {
                var key = command.PersonKey ?? throw new RefusedException("an account of a member of the public needs the person record it shows", "account.personNeeded");
                var p = await PersonRepository.FindAsync(db, key, ct) ?? throw new RefusedException($"no person with person_id '{key}'", "account.personUnknown", key);
                (personId, home) = (p.Id, p.Person.CommunityCode);
            }
            else if (command.PersonKey is not null)
            {
                throw new RefusedException("only an account of a member of the public has a person record", "account.personOnly");
            }
            if (!JurisdictionCode.TryParse(command.Jurisdiction ?? home, out var code, out var error))
            {
                throw new RefusedException($"jurisdiction {error}", "account.jurisdiction", command.Jurisdiction ?? home ?? "");
            }
            actor.RequireSees(code.Value, $"jurisdiction:{code.Value}");
            long? staffId = null;
            if (command.StaffKey is { } staffKey)
            {
                var member = await StaffRepository.FindAsync(db, staffKey, ct) ?? throw new RefusedException($"no member of staff '{staffKey}'", "account.staffUnknown", staffKey);
                if (!code.Contains(member.Jurisdiction))
                {
                    throw new RefusedException($"'{staffKey}' works in {member.Jurisdiction}, outside the account's jurisdiction {code}", "account.staffOutside", staffKey, member.Jurisdiction.Value, code.Value);
                }
                staffId = member.Id;
            }
            await AccountRepository.AddAsync(db, user, command.Name.Trim(), command.Role, code, staffId, personId, Passwords.Hash(command.Password), Now, ct);
            var account = (await AccountRepository.FindAsync(db, user, ct))!;
            return (account, $"{command.Role.ToCode()} in {code}" + (command.StaffKey is null ? "" : $", staff {command.StaffKey}"));
        });
    }

    /// <summary>Sets a new password, lifts a lock-out and ends every session of the account.</summary>
    public Task<int> ResetPasswordAsync(Actor actor, string username, string password, CancellationToken ct = default)
    {
        actor.Require(Permission.ManageAccounts);
        return audit.AuditedAsync(actor, "account.password", $"account:{username}", async () =>
        {
            var account = await OpenAsync(actor, username, ct);
            RequireStrong(password);
            await AccountRepository.SetPasswordAsync(db, account.Id, Passwords.Hash(password), ct);
            var ended = await SessionRepository.EndAllAsync(db, account.Id, Now, "password reset", ct);
            return (ended, AuditDetail.Write("passwordReset", Phrase.Number(ended)));
        });
    }

    /// <summary>Stops an account: no sign-in, every session ended, every token revoked.</summary>
    public Task<(int Sessions, int Tokens)> DeactivateAsync(Actor actor, string username, CancellationToken ct = default)
    {
        actor.Require(Permission.ManageAccounts);
        return audit.AuditedAsync(actor, "account.deactivate", $"account:{username}", async () =>
        {
            var account = await OpenAsync(actor, username, ct);
            await AccountRepository.SetActiveAsync(db, account.Id, false, ct);
            var now = Now;
            var sessions = await SessionRepository.EndAllAsync(db, account.Id, now, "deactivated", ct);
            var tokens = await ApiTokenRepository.RevokeAllAsync(db, account.Id, now, ct);
            return ((sessions, tokens), AuditDetail.Write("deactivate", Phrase.Number(sessions), Phrase.Number(tokens)));
        });
    }

    /// <summary>
    /// Gives an account another role or jurisdiction. Every session of the account ends at once (a
    /// signed-in page keeps the role it was opened with), and its tokens are revoked: they acted with the old rights.
    /// </summary>
    public Task<(int Sessions, int Tokens)> ChangeRoleAsync(Actor actor, string username, StaffRole role, string? jurisdiction, CancellationToken ct = default)
    {
        actor.Require(Permission.ManageAccounts);
        return audit.AuditedAsync(actor, "account.role", $"account:{username}", async () =>
        {
            var account = await OpenAsync(actor, username, ct);
            if (role == StaffRole.Person || account.Role == StaffRole.Person)
            {
                throw new RefusedException("an account of a member of the public keeps its role; make a new account instead", "account.personRole");
            }
            var code = account.Jurisdiction;
            if (jurisdiction is not null && !JurisdictionCode.TryParse(jurisdiction, out code, out var error))
            {
                throw new RefusedException($"jurisdiction {error}", "account.jurisdiction", jurisdiction);
            }
            actor.RequireSees(code.Value, $"jurisdiction:{code.Value}");
            await AccountRepository.SetRoleAsync(db, account.Id, role, code, ct);
            var now = Now;
            var sessions = await SessionRepository.EndAllAsync(db, account.Id, now, "role changed", ct);
            var tokens = await ApiTokenRepository.RevokeAllAsync(db, account.Id, now, ct);
            return ((sessions, tokens), $"{account.Role.ToCode()} in {account.Jurisdiction} → {role.ToCode()} in {code}; {sessions} session(s) ended, {tokens} token(s) revoked");
        });
    }

    /// <summary>Lets a deactivated account sign in again (with its password; its old tokens stay revoked).</summary>
    public Task<bool> ReactivateAsync(Actor actor, string username, CancellationToken ct = default)
    {
        actor.Require(Permission.ManageAccounts);
        return audit.AuditedAsync(actor, "account.reactivate", $"account:{username}", async () =>
        {
            var account = await OpenAsync(actor, username, ct);
            await AccountRepository.SetActiveAsync(db, account.Id, true, ct);
            return (true, "");
        });
    }

    public Task<IssuedToken> IssueTokenAsync(Actor actor, IssueTokenCommand command, CancellationToken ct = default)
    {
        actor.Require(Permission.ManageAccounts);
        return audit.AuditedAsync(actor, "token.create", $"account:{command.Username}", async () =>
        {
            var account = await OpenAsync(actor, command.Username, ct);
            if (!account.Active)
            {
                throw new RefusedException($"account '{account.Username}' is deactivated", "account.inactive", account.Username);
            }
            if (command.Days is < 1 or > MaxTokenDays)
            {
                throw new RefusedException($"a token lives 1–{MaxTokenDays} days, not {command.Days}", "token.days", command.Days, MaxTokenDays);
            }
            if (string.IsNullOrWhiteSpace(command.Name) || command.Name.Length > 100)
            {
                throw new RefusedException("a token needs a name of 1–100 characters saying what it is for", "token.name");
            }
            string? area = null;
            if (command.Area is { } text)
            {
                if (!JurisdictionCode.TryParse(text, out var code, out _) || !Scope.Contains(account.Jurisdiction, code.Value))
                {
                    throw new RefusedException($"'{text}' is not a division inside {account.Username}'s jurisdiction {account.Jurisdiction.Value}", "token.area", text, account.Jurisdiction.Value);
                }
                area = code.Value;
            }
            var now = Now;
            var (id, secret) = await ApiTokenRepository.CreateAsync(db, account.Id, command.Name.Trim(), command.Scope, now + command.Days * 86400L, now, area, ct);
            var info = (await ApiTokenRepository.FindAsync(db, id, ct))!;
            return (new IssuedToken(info, secret), $"token #{id} '{info.Name}', {command.Scope.ToCode()}, {command.Days} day(s){(area is null ? "" : ", area " + area)}");
        });
    }

    public Task<TokenInfo> RevokeTokenAsync(Actor actor, long tokenId, CancellationToken ct = default)
    {
        actor.Require(Permission.ManageAccounts);
        return audit.AuditedAsync(actor, "token.revoke", $"token:{tokenId}", async () =>
        {
            var token = await ApiTokenRepository.FindAsync(db, tokenId, ct) ?? throw new RefusedException($"no token #{tokenId}", "token.unknown", tokenId);
            await OpenAsync(actor, token.Username, ct);
            if (!await ApiTokenRepository.RevokeAsync(db, tokenId, Now, ct))
            {
                throw new RefusedException($"token #{tokenId} is already revoked", "token.revoked", tokenId);
            }
            return (token with { RevokedAt = Now }, $"token #{tokenId} '{token.Name}' of {token.Username}");
        });
    }

    /// <summary>A signed-in user revokes one of their own tokens; another account's token answers as if it did not exist.</summary>
    public Task<TokenInfo> RevokeOwnTokenAsync(Actor actor, long accountId, long tokenId, CancellationToken ct = default) =>
        audit.AuditedAsync(actor, "token.revoke", $"token:{tokenId}", async () =>
        {
            var token = await ApiTokenRepository.FindAsync(db, tokenId, ct) is { } t && t.AccountId == accountId ? t : throw new OutsideJurisdictionException($"token:{tokenId}");
            if (!await ApiTokenRepository.RevokeAsync(db, tokenId, Now, ct))
            {
                throw new RefusedException($"token #{tokenId} is already revoked", "token.revoked", tokenId);
            }
            return (token with { RevokedAt = Now }, $"token #{tokenId} '{token.Name}', by its owner");
        });

    private async Task<Account> OpenAsync(Actor actor, string username, CancellationToken ct)
    {
        var account = await AccountRepository.FindAsync(db, username.Trim(), ct) ?? throw new RefusedException($"no account '{username}'", "account.unknown", username);
        actor.RequireSees(account.Jurisdiction.Value, $"account:{account.Username}");
        return account;
    }

    private static void RequireStrong(string password)
    {
        if (Passwords.Weakness(password) is { } weakness)
        {
            throw new RefusedException($"the password {weakness}", "account.password", Passwords.MinLength);
        }
    }
}
