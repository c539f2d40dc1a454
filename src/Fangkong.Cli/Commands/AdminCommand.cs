using System.CommandLine;
using Fangkong.Jurisdictions;
using Fangkong.Staff;
using Fangkong.Storage.Accounts;
using Fangkong.Storage.Audit;
using Fangkong.Storage.Staff;
using Fangkong.Storage;
using Fangkong.Web.Accounts;
using Spectre.Console;

namespace Fangkong.Cli.Commands;

/// <summary><c>fangkong admin create-user|list-users|reset-password|create-token</c>: accounts for the command centre, run by an operator on the server.</summary>
internal static class AdminCommand
{
    public const string PasswordVariable = "FANGKONG_PASSWORD";

    public static Command Build()
    {
        var command = new Command("admin", "Accounts of the command centre: each with a role and a jurisdiction, optionally linked to a member of staff.");
        command.Subcommands.Add(CreateUser());
        command.Subcommands.Add(ListUsers());
        command.Subcommands.Add(ResetPassword());
        command.Subcommands.Add(CreateToken());
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
        var jurisdiction = new Option<string>("--jurisdiction") { Description = "GB/T 2260 code the account works for: it sees that division and below (required, except for --role person).", Required = true };
        var staff = new Option<string?>("--staff") { Description = "The staff_key of the member of staff this account is (their tasks are 'my tasks')." };
        var person = new Option<string?>("--person") { Description = "For --role person (群众): the person_id of their own record; the jurisdiction defaults to their community." };
        var password = PasswordOption();
        jurisdiction.Required = false;
        var command = new Command("create-user", "Create a sign-in account.") { username, name, role, jurisdiction, staff, person, password };
        command.SetAction(async (parse, ct) =>
        {
            var user = parse.GetValue(username)!.Trim();
            if (user.Length is < 3 or > 64 || !user.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '.' or '-' or '_'))
            {
                throw new UsageException($"username '{user}' must be 3–64 letters, digits, '.', '-' or '_'.");
            }
            if (!StaffRoles.TryParse(parse.GetValue(role), out var r))
            {
                throw new UsageException($"--role must be one of {string.Join(", ", StaffRoles.Codes)}.");
            }
            var secret = ReadPassword(parse, password);
            await using var db = await CommandLine.OpenStoreAsync(parse, ct);
            long? personId = null;
            string? home = null;
            if (r == StaffRole.Person)
            {
                var personKey = parse.GetValue(person) ?? throw new UsageException("--person is required for --role person: the account shows that person's own record.");
                var p = await Storage.People.PersonRepository.FindAsync(db, personKey, ct) ?? throw new UsageException($"--person: no person with person_id '{personKey}'.");
                (personId, home) = (p.Id, p.Person.CommunityCode);
            }
            else if (parse.GetValue(person) is not null)
            {
                throw new UsageException("--person is only for --role person.");
            }
            if (!JurisdictionCode.TryParse(parse.GetValue(jurisdiction) ?? home, out var code, out var error))
            {
                throw new UsageException($"--jurisdiction {error}.");
            }
            long? staffId = null;
            if (parse.GetValue(staff) is { } key)
            {
                var member = await StaffRepository.FindAsync(db, key, ct) ?? throw new UsageException($"--staff: no member of staff '{key}'.");
                if (!code.Contains(member.Jurisdiction))
                {
                    throw new UsageException($"--staff: '{key}' works in {member.Jurisdiction}, outside the account's jurisdiction {code}.");
                }
                staffId = member.Id;
            }
            await AccountRepository.AddAsync(db, user, parse.GetValue(name)!, r, code, staffId, personId, Passwords.Hash(secret), db.Now, ct);
            await Audit(db, parse, "account.create", $"account:{user}", $"{r.ToCode()} in {code}", ct);
            System.Console.WriteLine($"account {user}: {r.ToCode()} ({r.ToChinese()}) in {code}{(staffId is null ? "" : $", staff {parse.GetValue(staff)}")}");
            return 0;
        });
        return command;
    }

    private static Command ListUsers()
    {
        var command = new Command("list-users", "List the accounts (never their passwords).");
        command.SetAction(async (parse, ct) =>
        {
            await using var db = await CommandLine.OpenStoreAsync(parse, ct);
            var table = new Table().AddColumns("username", "name", "role 角色", "jurisdiction 辖区", "language", "locked until");
            foreach (var a in await AccountRepository.ListAsync(db, ct))
            {
                table.AddRow(Markup.Escape(a.Username), Markup.Escape(a.DisplayName), $"{a.Role.ToCode()} {a.Role.ToChinese()}", a.Jurisdiction.Value, a.Language,
                    a.LockedUntil is { } t && t > TimeProvider.System.GetUtcNow().ToUnixTimeSeconds() ? DateTimeOffset.FromUnixTimeSeconds(t).ToString("u", System.Globalization.CultureInfo.InvariantCulture) : "");
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
        var command = new Command("reset-password", "Set a new password and lift a lock-out.") { username, password };
        command.SetAction(async (parse, ct) =>
        {
            var secret = ReadPassword(parse, password);
            await using var db = await CommandLine.OpenStoreAsync(parse, ct);
            var account = await AccountRepository.FindAsync(db, parse.GetValue(username)!, ct) ?? throw new UsageException($"no account '{parse.GetValue(username)}'.");
            await AccountRepository.SetPasswordAsync(db, account.Id, Passwords.Hash(secret), ct);
            await Audit(db, parse, "account.password", $"account:{account.Username}", "reset by operator", ct);
            System.Console.WriteLine($"account {account.Username}: password set, lock-out lifted");
            return 0;
        });
        return command;
    }

    private static Command CreateToken()
    {
        var username = new Argument<string>("username");
        var name = new Option<string>("--name") { Description = "What the token is for (e.g. 'lab-import').", Required = true };
        var command = new Command("create-token", "Create an API token acting as the account; printed once, only its hash is kept.") { username, name };
        command.SetAction(async (parse, ct) =>
        {
            await using var db = await CommandLine.OpenStoreAsync(parse, ct);
            var account = await AccountRepository.FindAsync(db, parse.GetValue(username)!, ct) ?? throw new UsageException($"no account '{parse.GetValue(username)}'.");
            var token = await ApiTokenRepository.CreateAsync(db, account.Id, parse.GetValue(name)!, TimeProvider.System.GetUtcNow().ToUnixTimeSeconds(), ct);
            await Audit(db, parse, "token.create", $"account:{account.Username}", parse.GetValue(name)!, ct);
            System.Console.WriteLine(token);
            return 0;
        });
        return command;
    }

    private static string ReadPassword(ParseResult parse, Option<string?> option)
    {
        var secret = parse.GetValue(option) ?? Environment.GetEnvironmentVariable(PasswordVariable)
            ?? (System.Console.IsInputRedirected ? System.Console.In.ReadLine() : null)
            ?? throw new UsageException($"give the password with --password, the {PasswordVariable} environment variable, or on standard input.");
        return Passwords.Weakness(secret) is { } weakness ? throw new UsageException($"password {weakness}.") : secret;
    }

    private static Task Audit(Database db, ParseResult parse, string action, string target, string detail, CancellationToken ct) =>
        AuditLog.WriteAsync(db, [new AuditEntry(TimeProvider.System.GetUtcNow().ToUnixTimeSeconds(), "cli:" + parse.GetValue(CommandLine.Actor), action, target, detail, "cli", "", "cli")], ct);
}
