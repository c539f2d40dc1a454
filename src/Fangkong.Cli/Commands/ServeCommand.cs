using System.CommandLine;
using Fangkong.Web;

namespace Fangkong.Cli.Commands;

internal static class ServeCommand
{
    public static readonly Option<string> Urls = new("--urls")
    {
        Description = $"Where to listen (default {CommandCentre.DefaultUrl}).",
        DefaultValueFactory = _ => CommandCentre.DefaultUrl,
    };

    public static Command Build()
    {
        var command = new Command("serve", "Serve the command centre in the browser and its JSON API (/api/v1, reference at /scalar). Accounts: 'fangkong admin create-user'.")
        {
            Urls, ControlCommand.Policy,
        };
        command.SetAction(async (parse, ct) =>
        {
            await using var db = await CommandLine.OpenStoreAsync(parse, ct);
            await CommandCentre.RunAsync(db, new CommandCentreOptions(parse.GetValue(Urls)!, await ControlCommand.PolicyOfAsync(parse, db, ct)), ct);
            return 0;
        });
        return command;
    }
}
