using System.CommandLine;
using Fangkong.Storage.Audit;
using Fangkong.Storage.Control;
using Spectre.Console;

namespace Fangkong.Cli.Commands;

/// <summary><c>fangkong audit missing|log|verify</c>: the completeness audit, "who is missing?" (不漏一人), and the audit log of who did what.</summary>
internal static class AuditCommand
{
    public static Command Build()
    {
        var command = new Command("audit", "Completeness audits (who is missing?) and the audit log (who did what).");
        var within = new Option<string?>("--within") { Description = "Only people living in this division and below." };
        var kind = new Option<string?>("--kind") { Description = "Only one kind: " + string.Join(", ", MissingAudit.Kinds) + "." };
        kind.AcceptOnlyFromAmong([.. MissingAudit.Kinds]);
        var output = new Option<FileInfo?>("--out") { Description = "Write every row to this CSV file instead of printing the first ones." };
        var limit = new Option<int>("--limit") { Description = "Rows to print.", DefaultValueFactory = _ => 100 };
        var missing = new Command("missing", "Who is missing? Contacts without an order, orders without a monitor, people past their transfer deadline, tests overdue, planned ends passed without a release decision, controlled people without a room or home address — each with who answers for it.") { within, kind, output, limit };
        missing.SetAction(async (parse, ct) =>
        {
            await using var db = await CommandLine.OpenStoreAsync(parse, ct);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var rows = await MissingAudit.RunAsync(db, ControlCommand.Within(parse, within), parse.GetValue(kind), ct: ct);
            var took = clock.Elapsed;
            if (parse.GetValue(output) is { } file)
            {
                await using var w = new StreamWriter(file.FullName);
                await w.WriteLineAsync("kind,person_id,name,order,detail,answerable");
                foreach (var r in rows)
                {
                    await w.WriteLineAsync(string.Join(',', Csv(r.Kind), Csv(r.PersonKey), Csv(r.Name), r.OrderId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "", Csv(Fangkong.Cli.Console.CliText.Render(r.Said)), Csv(r.Answerable)));
                }
            }
            else
            {
                var table = new Table().AddColumns("missing 缺项", "person_id", "name 姓名", "order", "detail", "answerable 责任");
                foreach (var r in rows.Take(parse.GetValue(limit)))
                {
                    table.AddRow(r.Kind, Markup.Escape(r.PersonKey), Markup.Escape(r.Name ?? ""), r.OrderId is { } o ? $"#{o}" : "", Markup.Escape(Fangkong.Cli.Console.CliText.Render(r.Said)), Markup.Escape(r.Answerable));
                }
                Fangkong.Cli.Console.Screen.Write(table);
            }
            var byKind = string.Join(", ", MissingAudit.Kinds.Select(k => $"{k} {rows.Count(r => r.Kind == k)}"));
            System.Console.WriteLine($"{rows.Count} gap(s) ({byKind}) in {took.TotalMilliseconds:F0} ms" + (parse.GetValue(output) is { } f ? $"; written to {f.FullName}" : ""));
            return 0;
        });
        command.Subcommands.Add(missing);
        command.Subcommands.Add(Log());
        command.Subcommands.Add(Verify());
        return command;
    }

    private static Command Log()
    {
        var actor = new Option<string?>("--who") { Description = "Only entries by this account." };
        var action = new Option<string?>("--action") { Description = "Only actions starting with this (e.g. 'signin', 'person.view', 'export')." };
        var target = new Option<string?>("--target") { Description = "Only entries on this target (e.g. 'person:P000123')." };
        var limit = new Option<int>("--limit") { Description = "Entries to print, newest first.", DefaultValueFactory = _ => 50 };
        var command = new Command("log", "Search the append-only audit log: sign-ins, views of personal records, changes and exports.") { actor, action, target, limit };
        command.SetAction(async (parse, ct) =>
        {
            await using var db = await CommandLine.OpenStoreAsync(parse, ct);
            var (rows, total) = await AuditSearch.FindAsync(db, new AuditFilter("", parse.GetValue(actor), parse.GetValue(action), parse.GetValue(target)), 0, Math.Clamp(parse.GetValue(limit), 1, 10_000), ct);
            var table = new Table().AddColumns("#", "at (UTC)", "who", "action", "target", "detail", "from", "channel");
            foreach (var r in rows)
            {
                table.AddRow(r.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.FromUnixTimeSeconds(r.At).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
                    Markup.Escape(r.Actor), Markup.Escape(r.Action), Markup.Escape(r.Target), Markup.Escape(Fangkong.Application.Text.Texts.Default.AuditDetail(Fangkong.Cli.Console.CliText.Language, r.Detail)), Markup.Escape(r.Source), Markup.Escape(r.Channel));
            }
            Fangkong.Cli.Console.Screen.Write(table);
            System.Console.WriteLine($"{rows.Count} of {total} matching entries");
            return 0;
        });
        return command;
    }

    private static Command Verify()
    {
        var command = new Command("verify", "Re-compute the audit log's hash chain; exit 1 and name the first entry that does not fit when history was changed.");
        command.SetAction(async (parse, ct) =>
        {
            await using var db = await CommandLine.OpenStoreAsync(parse, ct);
            var v = await AuditSearch.VerifyAsync(db, ct);
            if (v.Intact)
            {
                System.Console.WriteLine($"audit log intact: {v.Entries} entries, every hash matches; {v.Checkpoints} checkpoint(s) in {db.AuditAnchors.Path} agree; the triggers that refuse changes are in place.");
                return 0;
            }
            System.Console.WriteLine(v.BrokenAt is 0 ? $"audit log BROKEN: {v.Reason}." : $"audit log BROKEN at entry {v.BrokenAt}: {v.Reason}.");
            return 1;
        });
        return command;
    }

    private static string Csv(string? value) =>
        value is null ? "" : value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
