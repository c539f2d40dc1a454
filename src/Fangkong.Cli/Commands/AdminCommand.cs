using System.CommandLine;
using Fangkong.Application.Accounts;
using Fangkong.Staff;
using Fangkong.Storage.Accounts;
using Spectre.Console;

namespace Fangkong.Cli.Commands;

/// <summary>
/// <c>fangkong admin create-user|list-users|reset-password|deactivate|reactivate|create-token|list-tokens|revoke-token</c>:
/// accounts and API tokens of the command centre, kept by an operator on the server through <see cref="AccountAdmin"/> (audited, channel cli).
/// </summary>
internal static class AdminCommand
{
    public const string PasswordVariable = "FANGKONG_PASSWORD";

    public static Command Build()
    {
        var command = new Command("admin", "Accounts of the command centre: each with a role and a jurisdiction, optionally linked to a member of staff.");
        command.Subcommands.Add(CreateUser());
        command.Subcommands.Add(ListUsers());
        command.Subcommands.Add(ResetPassword());
        command.Subcommands.Add(SetRole());
        command.Subcommands.Add(Deactivate());
        command.Subcommands.Add(Reactivate());
        command.Subcommands.Add(CreateToken());
        command.Subcommands.Add(ListTokens());
        command.Subcommands.Add(RevokeToken());
        return command;
    }

    private static Option<string?> PasswordOption() => new("--password")
    {
        Description = $"The password (at least {Passwords.MinLength} characters). Prefer the {PasswordVariable} environment variable or standard input, which stay out of the shell history.",
    };

    private static Command CreateUser()
    {
        var username = new Argument<string>("username") { Description = "Sign-in name (letters, digits, '.', '-', '_'; 3–64 characters)." };
        var name = new Option<string>("--name") { Description = "Display name.", Required = true };
        var role = new Option<string>("--role") { Description = "One of: " + string.Join(", ", StaffRoles.Codes) + ".", Required = true };
        role.AcceptOnlyFromAmong([.. StaffRoles.Codes]);
        var jurisdiction = new Option<string?>("--jurisdiction") { Description = "GB/T 2260 code the account works for: it sees that division and below (required, except for --role person)." };
        var staff = new Option<string?>("--staff") { Description = "The staff_key of the member of staff this account is (their tasks are 'my tasks')." };
        var person = new Option<string?>("--person") { Description = "For --role person (群众): the person_id of their own record; the jurisdiction defaults to their community." };
        var password = PasswordOption();
        var command = new Command("create-user", "Create a sign-in account.") { username, name, role, jurisdiction, staff, person, password };
        command.SetAction(async (parse, ct) =>
        {
            if (!StaffRoles.TryParse(parse.GetValue(role), out var r))
            {
                throw new UsageException($"--role must be one of {string.Join(", ", StaffRoles.Codes)}.");
            }
            if (r != StaffRole.Person && parse.GetValue(jurisdiction) is null)
            {
                throw new UsageException("--jurisdiction is required (except for --role person).");
            }
            var secret = ReadPassword(parse, password);
            await using var app = await CliApp.OpenAsync(parse, ct);
            var account = await app.Get<AccountAdmin>().CreateAsync(app.Actor,
                new CreateAccountCommand(parse.GetValue(username)!, parse.GetValue(name)!, r, parse.GetValue(jurisdiction), parse.GetValue(staff), parse.GetValue(person), secret), ct);
            System.Console.WriteLine($"account {account.Username}: {r.ToCode()} ({r.ToChinese()}) in {account.Jurisdiction}{(parse.GetValue(staff) is { } k ? $", staff {k}" : "")}");
            return 0;
        });
        return command;
    }

    private static Command ListUsers()
    {
        var command = new Command("list-users", "List the accounts (never their passwords), with their open sessions.");
        command.SetAction(async (parse, ct) =>
        {
            await using var db = await CommandLine.OpenStoreAsync(parse, ct);
            var table = new Table().AddColumns("username", "name", "role 角色", "jurisdiction 辖区", "language", "state", "sessions", "locked until");
            var now = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
            foreach (var a in await AccountRepository.ListAsync(db, ct))
            {
                table.AddRow(Markup.Escape(a.Username), Markup.Escape(a.DisplayName), $"{a.Role.ToCode()} {a.Role.ToChinese()}", a.Jurisdiction.Value, a.Language,
                    a.Active ? "active" : "[red]deactivated[/]", (await SessionRepository.OpenCountAsync(db, a.Id, ct)).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    await AccountRepository.LatestLockAsync(db, a.Id, ct) is { } t && t > now ? Time(t) + " (one address)" : "");
            }
            Console.Screen.Write(table);
            return 0;
        });
        return command;
    }

    private static Command ResetPassword()
    {
        var username = new Argument<string>("username");
        var password = PasswordOption();
        var command = new Command("reset-password", "Set a new password, lift a lock-out and end every session of the account.") { username, password };
        command.SetAction(async (parse, ct) =>
        {
            var secret = ReadPassword(parse, password);
            await using var app = await CliApp.OpenAsync(parse, ct);
            var ended = await app.Get<AccountAdmin>().ResetPasswordAsync(app.Actor, parse.GetValue(username)!, secret, ct);
            System.Console.WriteLine($"account {parse.GetValue(username)}: password set, lock-out lifted, {ended} session(s) ended");
            return 0;
        });
        return command;
    }

    private static Command SetRole()
    {
        var username = new Argument<string>("username");
        var role = new Option<string>("--role") { Description = "The new role: " + string.Join(", ", StaffRoles.Codes.Where(c => c != "person")) + ".", Required = true };
        role.AcceptOnlyFromAmong([.. StaffRoles.Codes]);
        var jurisdiction = new Option<string?>("--jurisdiction") { Description = "The new jurisdiction (default: the account's own)." };
        var command = new Command("set-role", "Give an account another role or jurisdiction; its sessions end at once and its tokens are revoked.") { username, role, jurisdiction };
        command.SetAction(async (parse, ct) =>
        {
            if (!StaffRoles.TryParse(parse.GetValue(role), out var r))
            {
                throw new UsageException($"--role must be one of {string.Join(", ", StaffRoles.Codes)}.");
            }
            await using var app = await CliApp.OpenAsync(parse, ct);
            var (sessions, tokens) = await app.Get<AccountAdmin>().ChangeRoleAsync(app.Actor, parse.GetValue(username)!, r, parse.GetValue(jurisdiction), ct);
            System.Console.WriteLine($"account {parse.GetValue(username)}: {r.ToCode()} ({r.ToChinese()}); {sessions} session(s) ended, {tokens} token(s) revoked");
            return 0;
        });
        return command;
    }

    private static Command Deactivate()
    {
        var username = new Argument<string>("username");
        var command = new Command("deactivate", "Stop an account: no more sign-in, every session ended at once, every API token revoked.") { username };
        command.SetAction(async (parse, ct) =>
        {
            await using var app = await CliApp.OpenAsync(parse, ct);
            var (sessions, tokens) = await app.Get<AccountAdmin>().DeactivateAsync(app.Actor, parse.GetValue(username)!, ct);
            System.Console.WriteLine($"account {parse.GetValue(username)}: deactivated, {sessions} session(s) ended, {tokens} token(s) revoked");
            return 0;
        });
        return command;
    }

    private static Command Reactivate()
    {
        var username = new Argument<string>("username");
        var command = new Command("reactivate", "Let a deactivated account sign in again (its old tokens stay revoked).") { username };
        command.SetAction(async (parse, ct) =>
        {
            await using var app = await CliApp.OpenAsync(parse, ct);
            await app.Get<AccountAdmin>().ReactivateAsync(app.Actor, parse.GetValue(username)!, ct);
            System.Console.WriteLine($"account {parse.GetValue(username)}: active");
            return 0;
        });
        return command;
    }

    private static Command CreateToken()
    {
        var username = new Argument<string>("username");
        var name = new Option<string>("--name") { Description = "What the token is for (e.g. 'lab-import').", Required = true };
        var scope = new Option<string>("--scope") { Description = "read (GET requests only) or write (everything the account may do).", DefaultValueFactory = _ => "read" };
        scope.AcceptOnlyFromAmong("read", "write");
        var days = new Option<int>("--days") { Description = $"Days until the token expires (1–{AccountAdmin.MaxTokenDays}).", DefaultValueFactory = _ => 90 };
        var area = new Option<string?>("--jurisdiction") { Description = "Limit the token to a division inside the account's jurisdiction (e.g. a lab's token for one county); default: all of it." };
        var command = new Command("create-token", "Create an API token acting as the account within its scope (and area) until it expires; printed once, only its hash is kept.") { username, name, scope, days, area };
        command.SetAction(async (parse, ct) =>
        {
            var s = ApiTokenRepository.TryParseScope(parse.GetValue(scope), out var parsed) ? parsed : throw new UsageException("--scope must be read or write.");
            await using var app = await CliApp.OpenAsync(parse, ct);
            var issued = await app.Get<AccountAdmin>().IssueTokenAsync(app.Actor, new IssueTokenCommand(parse.GetValue(username)!, parse.GetValue(name)!, s, parse.GetValue(days), parse.GetValue(area)), ct);
            System.Console.Error.WriteLine($"token #{issued.Token.Id} '{issued.Token.Name}' for {issued.Token.Username}: {s.ToCode()}{(issued.Token.Area is { } a ? ", area " + a : "")}, expires {Time(issued.Token.ExpiresAt)}");
            System.Console.WriteLine(issued.Secret);
            return 0;
        });
        return command;
    }

    private static Command ListTokens()
    {
        var username = new Argument<string?>("username") { Description = "Only this account's tokens.", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("list-tokens", "List the API tokens (never their secrets): scope, expiry, last use, revocation.") { username };
        command.SetAction(async (parse, ct) =>
        {
            await using var db = await CommandLine.OpenStoreAsync(parse, ct);
            long? accountId = null;
            if (parse.GetValue(username) is { } user)
            {
                accountId = (await AccountRepository.FindAsync(db, user, ct) ?? throw new UsageException($"no account '{user}'.")).Id;
            }
            var now = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
            var table = new Table().AddColumns("token", "account", "name", "scope", "area", "created", "expires", "last used", "state");
            foreach (var t in await ApiTokenRepository.ListAsync(db, accountId, ct))
            {
                var state = t.RevokedAt is { } r ? $"revoked {Time(r)}" : t.ExpiresAt <= now ? "expired" : "live";
                table.AddRow($"#{t.Id}", Markup.Escape(t.Username), Markup.Escape(t.Name), t.Scope.ToCode(), t.Area ?? "(account's)", Time(t.CreatedAt), Time(t.ExpiresAt), t.LastUsedAt is { } u ? Time(u) : "—", state);
            }
            Console.Screen.Write(table);
            return 0;
        });
        return command;
    }

    private static Command RevokeToken()
    {
        var id = new Argument<long>("token") { Description = "The token's number (admin list-tokens)." };
        var command = new Command("revoke-token", "Revoke an API token; the command centre refuses it within seconds.") { id };
        command.SetAction(async (parse, ct) =>
        {
            await using var app = await CliApp.OpenAsync(parse, ct);
            var t = await app.Get<AccountAdmin>().RevokeTokenAsync(app.Actor, parse.GetValue(id), ct);
            System.Console.WriteLine($"token #{t.Id} '{t.Name}' of {t.Username}: revoked");
            return 0;
        });
        return command;
    }

    private static string Time(long unix) => DateTimeOffset.FromUnixTimeSeconds(unix).ToString("u", System.Globalization.CultureInfo.InvariantCulture);

    private static string ReadPassword(ParseResult parse, Option<string?> option)
    {
        var secret = parse.GetValue(option) ?? Environment.GetEnvironmentVariable(PasswordVariable)
            ?? (System.Console.IsInputRedirected ? System.Console.In.ReadLine() : null)
            ?? throw new UsageException($"give the password with --password, the {PasswordVariable} environment variable, or on standard input.");
        return Passwords.Weakness(secret) is { } weakness ? throw new UsageException($"password {weakness}.") : secret;
    }
}
