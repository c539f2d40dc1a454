using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Fangkong.Application.Tracing;
using Fangkong.Files.Contacts;
using Fangkong.Storage.Audit;
using Fangkong.Storage.People;
using Fangkong.Storage.Tracing;
using Fangkong.Time;
using Fangkong.Tracing;
using Spectre.Console;

namespace Fangkong.Cli.Commands;

internal static class TraceCommand
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static Command Build()
    {
        var caseId = new Argument<string?>("case") { Description = "person_id of one case to trace; without it every case in the store is traced.", Arity = ArgumentArity.ZeroOrOne };
        var policy = new Option<string?>("--policy") { Description = "Policy profile (防控方案) whose rules apply, e.g. cn-v8-2021 or cn-v9-2022 (default: the store's, see 'fangkong policy use')." };
        var asOf = new Option<string?>("--as-of") { Description = "The time of the trace, ISO 8601 with offset (default: now). Close contacts not yet under control are traced for secondary contacts up to it." };
        var output = new Option<FileInfo?>("--out") { Description = "Write the contacts to this CSV file (the batch tracing contract: docs/guide.md)." };
        var gridOutput = new Option<FileInfo?>("--grid-out") { Description = "Also write the grid co-presence contacts (时空伴随者) to this CSV file: person_id,index_person_id,cell_id,exposure_start,exposure_end." };
        var format = new Option<string>("--format") { Description = "How to print when there is no --out: table, csv or json.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "csv", "json");
        var command = new Command("trace", "Trace contacts (流调): close contacts (密接) and secondary contacts (次密接) of cases, each with its evidence.")
        {
            caseId, policy, asOf, output, gridOutput, format,
        };
        command.Options.Add(PolicyCommandOptions.Folder);
        command.SetAction(async (parse, ct) =>
        {
            var catalog = PolicyCommand.Load(parse);
            var chosen = parse.GetValue(policy) is { } id ? catalog.Get(id) : null;   // an unknown profile is refused before the store is opened
            // One store, opened once: the stored trace goes through the application's Retrace.
            await using var app = await CliApp.OpenAsync(parse, ct);
            var db = app.Db;
            var profile = chosen ?? await PolicyCommand.ChosenAsync(parse, policy, catalog, db, ct);
            long now;
            if (parse.GetValue(asOf) is { } text)
            {
                if (!IsoTime.TryParse(text, db.Calendar, out now) || !IsoTime.HasOffset(text))
                {
                    throw new UsageException($"--as-of '{text}' is not an ISO 8601 time with an offset, such as 2021-10-22T12:00:00+08:00.");
                }
            }
            else
            {
                now = db.Now;
            }
            var clock = Stopwatch.StartNew();
            TraceData data;
            List<TraceCase> cases;
            IReadOnlyList<ContactFinding> findings;
            string timing;
            if (parse.GetValue(caseId) is { } key)
            {
                // One case's contacts, for a look: read only, nothing stored.
                data = await TraceData.LoadAsync(db, profile, now, ct);
                var loaded = clock.Elapsed;
                var person = await PersonRepository.FindAsync(db, key, ct) ?? throw new UsageException($"no person with person_id '{key}'.");
                cases = data.Cases.Where(c => c.Person == person.Id).ToList();
                if (cases.Count == 0)
                {
                    throw new UsageException($"person_id '{key}' is not a case.");
                }
                findings = data.Engine().Trace(cases, k => data.ControlTime(k, now));
                timing = $"load {loaded.TotalMilliseconds:F0} ms, trace {(clock.Elapsed - loaded).TotalMilliseconds:F0} ms";
            }
            else
            {
                // A full trace is the record: stored with its evidence and policy (unchanged when re-run), and everyone
                // classified gets a control order at once (应隔尽隔) — the one re-trace, in the store's trace lock, audited.
                var outcome = await app.Get<Retrace>().HandleAsync(app.Actor, profile, now, ct);
                (data, findings) = (outcome.Trace.Data, outcome.Trace.Findings);
                cases = data.Cases;
                timing = $"loaded, traced, stored and ordered in {clock.Elapsed.TotalMilliseconds:F0} ms: {outcome.Timing}; {outcome.Sync.Created} new order(s)";
            }
            var rows = ContactsFile.Rows(findings, data.PersonKeys, data.VenueKeys, db.Calendar, data.CellKeys);
            var summary = $"{cases.Count} case(s) traced under {profile.Id}: {rows.Count(r => r.Tier == "close")} close, {rows.Count(r => r.Tier == "secondary")} secondary, {rows.Count(r => r.Tier == "grid")} grid co-presence, {rows.Count(r => r.Tier == "general")} general contacts " +
                          $"({timing}, {data.Index.Count:N0} check-ins in memory).";
            if (data.Cases.Count == 0)
            {
                summary = "The store has no cases: there is nothing to trace" + (parse.GetValue(output) is null ? "." : "; the file has the header only.");
            }
            if (parse.GetValue(gridOutput) is { } gridFile)
            {
                GridContactsFile.Write(gridFile.FullName, rows);
            }
            if (parse.GetValue(output) is { } file)
            {
                ContactsFile.Write(file.FullName, rows);
                System.Console.WriteLine($"{summary} Written to {file.FullName}");
                return 0;
            }
            Print(rows, parse.GetValue(format)!);
            await System.Console.Error.WriteLineAsync(summary);
            return 0;
        });
        return command;
    }

    private static void Print(List<ContactRow> rows, string format)
    {
        switch (format)
        {
            case "csv":
                System.Console.WriteLine(string.Join(',', ContactsFile.Columns));
                foreach (var r in rows.Where(r => r.Tier is "close" or "secondary"))
                {
                    System.Console.WriteLine(string.Join(',', r.PersonId, r.Tier, r.IndexPersonId, r.ViaPersonId, r.VenueId, r.ExposureStart, r.ExposureEnd));
                }
                break;
            case "json":
                System.Console.WriteLine(JsonSerializer.Serialize(rows, Json));
                break;
            default:
                var table = new Table().AddColumns("person_id", "tier 分级", "index case 指示病例", "via 经由", "venue 场所", "from", "to", "min");
                foreach (var r in rows)
                {
                    table.AddRow(Markup.Escape(r.PersonId), r.Tier switch { "close" => "close 密接", "secondary" => "secondary 次密接", "grid" => "grid 时空伴随", _ => "general 一般接触者" }, Markup.Escape(r.IndexPersonId), Markup.Escape(r.ViaPersonId ?? ""),
                        Markup.Escape(r.VenueId ?? r.Transport ?? (r.CellId is { } cell ? $"cell {cell}" : "(exposure)")), r.ExposureStart, r.ExposureEnd, r.Minutes.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }
                Fangkong.Cli.Console.Screen.Write(table);
                break;
        }
    }
}
