using System.CommandLine;
using Fangkong.Application.Imports;
using Fangkong.Cli.Console;
using Fangkong.Files.Imports;
using Fangkong.Files;
using Fangkong.Storage.Jurisdictions;

namespace Fangkong.Cli.Commands;

internal static class ImportCommand
{
    private const int ErrorsShown = 50;

    public static Command Build()
    {
        var kind = new Argument<string>("kind") { Description = "persons | venues | checkins | exposures | cases | jurisdictions (townships and communities) | transport | gridstays | samples | keygroups | results (lab results by tube)" };
        var file = new Argument<FileInfo>("file") { Description = "A UTF-8 CSV file with a header row (columns: docs/guide.md, section Files)." };
        var skipBad = new Option<bool>("--skip-bad") { Description = "Import the good rows and write the bad ones to a rejects file, instead of refusing the whole file." };
        var rejects = new Option<FileInfo?>("--rejects") { Description = "Where --skip-bad writes the bad rows (default: NAME.rejects.csv beside the file)." };
        var command = new Command("import", "Import a file of persons, venues, check-ins (扫码登记), exposures, cases, samples (核酸采样), lab results and more. All-or-nothing unless --skip-bad; re-importing a file changes nothing.")
        {
            kind, file, skipBad, rejects,
        };
        command.SetAction(async (parse, ct) =>
        {
            var fileKind = ParseKind(parse.GetValue(kind)!);
            var path = parse.GetValue(file)!.FullName;
            await using var app = await CliApp.OpenAsync(parse, ct);
            await JurisdictionRepository.EnsureReferenceAsync(app.Db, ct);
            var started = System.Diagnostics.Stopwatch.StartNew();
            using var progress = new ProgressLine($"import {fileKind.ToString().ToLowerInvariant()}");
            var result = await app.Get<ImportFile>().HandleAsync(app.Actor, new ImportFileCommand(fileKind, path, Path.GetFileName(path), parse.GetValue(skipBad), parse.GetValue(rejects)?.FullName), progress, ct);
            progress.Done();
            foreach (var error in result.Errors.Take(ErrorsShown))
            {
                await System.Console.Error.WriteLineAsync($"{Path.GetFileName(path)}: {error}");
            }
            if (result.Errors.Count > ErrorsShown)
            {
                await System.Console.Error.WriteLineAsync($"… and more: {result.BadRows:N0} bad rows in all{(result.RejectsPath is null ? "; --skip-bad writes each with its reasons to a rejects file" : "")}.");
            }
            if (result.Refused)
            {
                await System.Console.Error.WriteLineAsync(
                    $"error: refused {Path.GetFileName(path)}: {result.BadRows:N0} bad row(s) of {result.RowsInFile:N0}; nothing was imported. Fix them, or use --skip-bad.");
                return 1;
            }
            var rate = result.RowsInFile / Math.Max(started.Elapsed.TotalSeconds, 1e-3);
            System.Console.WriteLine(
                $"imported {Path.GetFileName(path)}: {result.RowsInFile} rows, {result.Accepted} accepted, {result.Rejected} rejected, {result.Written} stored as new or changed ({started.Elapsed.TotalSeconds:F1} s, {rate:N0} rows/s).");
            if (result.Joined > 0)
            {
                System.Console.WriteLine($"{result.Joined} rows joined an existing person by document number (the same name and birth date).");
            }
            if (result.Recall is { } recall && (recall.RecalledTubes > 0 || recall.Resamples > 0 || recall.Suspected > 0 || recall.Lifted > 0))
            {
                System.Console.WriteLine(
                    $"recall: {recall.RecalledTubes} positive or inconclusive pooled tube(s); {recall.Held} person(s) newly held in place (pool_positive); " +
                    $"{recall.Resamples} re-sampling and recall task(s); {recall.Suspected} suspected case(s) recorded and traced; {recall.Lifted} temporary order(s) lifted by a negative re-test.");
            }
            if (result.RejectsPath is not null)
            {
                System.Console.WriteLine($"rejected rows written to {result.RejectsPath}");
            }
            return 0;
        });
        return command;
    }

    public static FileKind ParseKind(string text) =>
        FileColumns.TryParseKind(text, out var k)
            ? k
            : throw new UsageException($"unknown file kind '{text}'; use persons, venues, checkins, exposures, cases, jurisdictions, transport, gridstays, samples, keygroups or results.");
}
