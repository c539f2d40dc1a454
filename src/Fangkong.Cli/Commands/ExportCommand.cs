using System.CommandLine;
using Fangkong.Files.Exports;

namespace Fangkong.Cli.Commands;

internal static class ExportCommand
{
    public static Command Build()
    {
        var kind = new Argument<string>("kind") { Description = "persons | venues | checkins | exposures | cases | jurisdictions" };
        var file = new Argument<FileInfo>("file") { Description = "The file to write: .csv (the columns of docs/guide.md, with a header row) or .xlsx (Excel)." };
        var command = new Command("export", "Export the store's persons, venues, check-ins, exposures or cases in the import format.") { kind, file };
        command.SetAction(async (parse, ct) =>
        {
            var fileKind = ImportCommand.ParseKind(parse.GetValue(kind)!);
            var path = parse.GetValue(file)!.FullName;
            await using var db = await CommandLine.OpenStoreAsync(parse, ct);
            var rows = await ExportRunner.RunAsync(db, fileKind, path, ct);
            System.Console.WriteLine($"exported {rows} {fileKind.ToString().ToLowerInvariant()} to {path}");
            return 0;
        });
        return command;
    }
}
