using System.CommandLine;
using Fangkong.Files.Exports;

namespace Fangkong.Cli.Commands;

internal static class ExportCommand
{
    public static Command Build()
    {
        var kind = new Argument<string>("kind") { Description = "persons | venues | checkins | exposures | cases | jurisdictions | transport | gridstays | samples | keygroups | results | orders (every active control order)" };
        var file = new Argument<FileInfo>("file") { Description = "The file to write: .csv (the columns of docs/guide.md, with a header row) or .xlsx (Excel)." };
        var command = new Command("export", "Export the store's records in the import format (persons, venues, check-ins, exposures, cases …), or every active control order (orders).") { kind, file };
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(file)!.FullName;
            if (string.Equals(parse.GetValue(kind), "orders", StringComparison.OrdinalIgnoreCase))
            {
                await using var store = await CommandLine.OpenStoreAsync(parse, ct);
                System.Console.WriteLine($"exported {await ExportRunner.OrdersAsync(store, path, ct)} active orders to {path}");
                return 0;
            }
            var fileKind = ImportCommand.ParseKind(parse.GetValue(kind)!);
            await using var db = await CommandLine.OpenStoreAsync(parse, ct);
            var rows = await ExportRunner.RunAsync(db, fileKind, path, ct);
            System.Console.WriteLine($"exported {rows} {fileKind.ToString().ToLowerInvariant()} to {path}");
            return 0;
        });
        return command;
    }
}
