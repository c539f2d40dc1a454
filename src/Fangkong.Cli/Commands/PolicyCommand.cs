using System.CommandLine;
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
        return command;
    }

    public static PolicyCatalog Load(ParseResult parse) => PolicyCatalog.Load(parse.GetValue(Folder)?.FullName);
}
