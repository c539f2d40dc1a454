using System.CommandLine;
using Fangkong.Application.Audit;
using Fangkong.Application.Policies;
using Fangkong.Jurisdictions;
using Fangkong.Policies;

namespace Fangkong.Cli.Commands;

internal static class PolicyCommandOptions
{
    public static readonly Option<DirectoryInfo?> Folder = new("--policies")
    {
        Description = "A folder of further policy profile files (*.json), checked against the profile schema.",
        Recursive = true,
    };
}

internal static class PolicyCommand
{
    private static Option<DirectoryInfo?> Folder => PolicyCommandOptions.Folder;

    public static Command Build()
    {
        var command = new Command("policy", "Policy profiles (防控方案): the rules as versioned data.");
        command.Options.Add(Folder);
        var list = new Command("list", "List the policy profiles.");
        list.SetAction(parse =>
        {
            foreach (var p in Load(parse).All)
            {
                System.Console.WriteLine($"{p.Id,-14} v{p.Version,-6} {p.TitleZh}  ({p.Title})");
            }
            return 0;
        });
        var id = new Argument<string>("id") { Description = "Profile id, e.g. cn-v8-2021." };
        var show = new Command("show", "Print a profile as loaded and validated.") { id };
        show.SetAction(parse =>
        {
            var profile = Load(parse).Get(parse.GetValue(id)!);
            System.Console.WriteLine(PolicyCatalog.RawText(profile).TrimEnd());
            return 0;
        });
        command.Subcommands.Add(list);
        command.Subcommands.Add(show);
        command.Subcommands.Add(Use());
        command.Subcommands.Add(Current());
        return command;
    }

    private static Command Use()
    {
        var id = new Argument<string>("id") { Description = "Profile id, e.g. cn-v9-2022." };
        var jurisdiction = new Option<string?>("--jurisdiction") { Description = "Only for this division and below (a county that follows another edition); without it, for the whole store." };
        var command = new Command("use", "Choose the policy profile this store follows (every command, page and handler uses it unless given --policy).") { id, jurisdiction };
        command.SetAction(async (parse, ct) =>
        {
            JurisdictionCode? code = parse.GetValue(jurisdiction) is not { } text ? null
                : JurisdictionCode.TryParse(text, out var c, out var error) ? c : throw new UsageException($"--jurisdiction {error}.");
            await using var app = await CliApp.OpenAsync(parse, ct);
            var profile = app.Get<PolicyCatalog>().Get(parse.GetValue(id)!);
            await app.Get<StorePolicy>().UseAsync(profile.Id, code, ct);
            await app.Get<AuditSink>().RecordAsync(app.Actor, "policy.use", code is null ? "store" : $"jurisdiction:{code.Value.Value}", $"{profile.Id} v{profile.Version}");
            System.Console.WriteLine($"{(code is null ? "the store" : code.Value.Value)} follows {profile.Id} v{profile.Version} {profile.TitleZh}");
            return 0;
        });
        return command;
    }

    private static Command Current()
    {
        var command = new Command("current", "Show the policy profile this store follows, and any jurisdiction's own choice.");
        command.SetAction(async (parse, ct) =>
        {
            await using var app = await CliApp.OpenAsync(parse, ct);
            var choices = await app.Get<StorePolicy>().ChoicesAsync(ct);
            var store = await app.Get<StorePolicy>().CurrentAsync(ct);
            System.Console.WriteLine($"store           {store.Id} v{store.Version} {store.TitleZh}" + (choices.ContainsKey("") ? "" : " (default: none chosen)"));
            foreach (var (code, profile) in choices.Where(c => c.Key.Length > 0).OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                System.Console.WriteLine($"{code,-15} {profile}");
            }
            return 0;
        });
        return command;
    }

    /// <summary>The profile named by <paramref name="option"/> when given, else the store's choice ('fangkong policy use'), else the default.</summary>
    public static async Task<PolicyProfile> ChosenAsync(ParseResult parse, Option<string?> option, PolicyCatalog catalog, Storage.Database db, CancellationToken ct) =>
        parse.GetValue(option) is { } id ? catalog.Get(id) : await new StorePolicy(db, catalog).CurrentAsync(ct);

    public static PolicyCatalog Load(ParseResult parse) => PolicyCatalog.Load(parse.GetValue(Folder)?.FullName);
}
