using System.CommandLine;
using Fangkong.Cli.Serve;

namespace Fangkong.Cli.Commands;

internal static class ServeCommand
{
    public static readonly Option<string> Urls = new("--urls")
    {
        Description = $"Where to listen (default {StatusServer.DefaultUrl}).",
        DefaultValueFactory = _ => StatusServer.DefaultUrl,
    };

    public static Command Build()
    {
        var command = new Command("serve", "Serve the command centre in the browser (for now: the store's status page).") { Urls };
        command.SetAction(async (parse, ct) =>
        {
            await using var db = await CommandLine.OpenStoreAsync(parse, ct);
            await StatusServer.RunAsync(db, parse.GetValue(Urls)!, ct);
            return 0;
        });
        return command;
    }
}
