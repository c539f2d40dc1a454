using System.CommandLine;
using System.Globalization;
using Fangkong.Application.Cases;
using Fangkong.Cases;
using Fangkong.Storage.Cases;
using Fangkong.Storage.Contacts;
using Fangkong.Storage.People;
using Fangkong.Storage.Tracing;
using Fangkong.Storage;
using Fangkong.Time;
using Fangkong.Tracing;

namespace Fangkong.Cli.Commands;

/// <summary><c>fangkong case add|confirm|reclassify|show</c>: cases (病例) and their investigation.</summary>
internal static class CaseCommand
{
    private static Option<string?> Policy => ControlCommand.Policy;

    public static Command Build()
    {
        var command = new Command("case", "Cases (病例): record, confirm, reclassify and show. Confirming a case traces its contacts at once.");
        command.Options.Add(Policy);
        command.Subcommands.Add(Add());
        command.Subcommands.Add(Confirm());
        command.Subcommands.Add(Reclassify());
        command.Subcommands.Add(Show());
        return command;
    }

    private static Argument<string> PersonArgument() => new("person_id") { Description = "The person's key (person_id)." };

    private static Command Add()
    {
        var person = PersonArgument();
        var classification = new Option<string>("--classification") { Description = "confirmed (确诊) | asymptomatic (无症状感染者) | suspected (疑似)", DefaultValueFactory = _ => "suspected" };
        classification.AcceptOnlyFromAmong("confirmed", "asymptomatic", "suspected");
        var onset = new Option<string?>("--onset") { Description = "Onset date YYYY-MM-DD (symptomatic cases)." };
        var sampling = new Option<string?>("--sampling") { Description = "Sampling time, ISO 8601 with offset." };
        var report = new Option<string?>("--report") { Description = "Report time, ISO 8601 with offset (default: now)." };
        var isolation = new Option<string?>("--isolation") { Description = "Isolation time, ISO 8601 with offset." };
        var command = new Command("add", "Record a case. A confirmed or asymptomatic case is traced at once.") { person, classification, onset, sampling, report, isolation };
        command.SetAction(async (parse, ct) =>
        {
            await using var app = await CliApp.OpenAsync(parse, ct);
            var db = app.Db;
            var p = await FindPersonAsync(db, parse.GetValue(person)!, ct);
            var c = CaseClassifications.ParseStored(parse.GetValue(classification)!);
            DateOnly? onsetDate = parse.GetValue(onset) is { } o
                ? IsoTime.TryParseDate(o, out var d) ? d : throw new UsageException($"--onset '{o}' is not a date YYYY-MM-DD.")
                : null;
            var samplingTime = Time(parse.GetValue(sampling), "--sampling", db);
            var reportTime = Time(parse.GetValue(report), "--report", db);
            var isolationTime = Time(parse.GetValue(isolation), "--isolation", db);
            CaseOutcome recorded;
            try
            {
                recorded = await app.Get<RecordCase>().HandleAsync(app.Actor, new RecordCaseCommand(p.Person.PersonKey, c, onsetDate, samplingTime, reportTime, isolationTime, await app.PolicyAsync(parse, Policy, ct)), ct);
            }
            catch (CaseInvalidException e)
            {
                // The rules of a case record (CaseRules), said with this command's options.
                throw new UsageException(string.Join(" ", e.Problems.Select(problem => problem.Code switch
                {
                    "onsetOrSampling" => "a case needs --onset or --sampling: its tracing window starts from one of them.",
                    "reportBeforeOnset" => $"--report {db.Calendar.Format(reportTime ?? db.Now)} is before the onset date {onsetDate:yyyy-MM-dd}.",
                    _ => problem.Message + ".",
                })));
            }
            System.Console.WriteLine($"case {p.Person.PersonKey}: {c.ToCode()}");
            if (recorded.Retrace is { } traced)
            {
                ControlCommand.Print(traced);
            }
            return 0;
        });
        return command;
    }

    private static Command Confirm()
    {
        var person = PersonArgument();
        var asymptomatic = new Option<bool>("--asymptomatic") { Description = "Confirm as an asymptomatic infection (无症状感染者) rather than a confirmed case." };
        var command = new Command("confirm", "Confirm a recorded case (确诊) and trace its contacts at once.") { person, asymptomatic };
        command.SetAction(async (parse, ct) =>
        {
            var c = parse.GetValue(asymptomatic) ? CaseClassification.Asymptomatic : CaseClassification.Confirmed;
            return await ClassifyAsync(parse, parse.GetValue(person)!, c, ct);
        });
        return command;
    }

    private static Command Reclassify()
    {
        var person = PersonArgument();
        var to = new Argument<string>("classification") { Description = "confirmed | asymptomatic | suspected | not_a_case" };
        to.AcceptOnlyFromAmong("confirmed", "asymptomatic", "suspected", "not_a_case");
        var command = new Command("reclassify", "Change a case's classification; the contacts are traced again (a case that is not a case leaves its contacts' list).") { person, to };
        command.SetAction(async (parse, ct) =>
        {
            return await ClassifyAsync(parse, parse.GetValue(person)!, CaseClassifications.ParseStored(parse.GetValue(to)!), ct);
        });
        return command;
    }

    private static Command Show()
    {
        var person = PersonArgument();
        var command = new Command("show", "Show a case: classification, dates, tracing window, and its contacts by tier.") { person };
        command.SetAction(async (parse, ct) =>
        {
            await using var db = await CommandLine.OpenStoreAsync(parse, ct);
            var p = await FindPersonAsync(db, parse.GetValue(person)!, ct);
            var c = await FindCaseAsync(db, parse.GetValue(person)!, ct);
            var policy = await ControlCommand.PolicyOfAsync(parse, db, ct);
            string T(long? t) => t is null ? "—" : db.Calendar.Format(t.Value);
            var window = TracingWindow.For(c.OnsetDate, c.SamplingTime, c.ReportTime, c.IsolationTime, policy.Tracing.WindowDaysBefore, db.Calendar);
            var contacts = await ContactRepository.CountByTierAsync(db, p.Id, ct);
            System.Console.WriteLine($"""
                case            {p.Person.PersonKey} {p.Person.Name}
                classification  {c.Classification.ToCode()}
                onset date      {c.OnsetDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "—"}
                sampling        {T(c.SamplingTime)}
                reported        {T(c.ReportTime)}
                isolated        {T(c.IsolationTime)}
                tracing window  {db.Calendar.Format(window.Start)} – {db.Calendar.Format(window.End)} ({policy.Id})
                contacts        {contacts.GetValueOrDefault("close")} close (密接), {contacts.GetValueOrDefault("secondary")} secondary (次密接), {contacts.GetValueOrDefault("general")} general (一般接触者) — 'fangkong contacts --case {p.Person.PersonKey}'
                """);
            return 0;
        });
        return command;
    }

    internal static long? Time(string? text, string option, Database db) =>
        text is null ? null
        : IsoTime.TryParse(text, db.Calendar, out var t) && IsoTime.HasOffset(text) ? t
        : throw new UsageException($"{option} '{text}' is not an ISO 8601 time with an offset, such as 2021-10-17T09:30:00+08:00.");

    internal static async Task<StoredPerson> FindPersonAsync(Database db, string key, CancellationToken ct) =>
        await PersonRepository.FindAsync(db, key, ct) ?? throw new UsageException($"no person with person_id '{key}'.");

    internal static async Task<StoredCase> FindCaseAsync(Database db, string key, CancellationToken ct)
    {
        var p = await FindPersonAsync(db, key, ct);
        return (await CaseRepository.LoadAllAsync(db, ct)).FirstOrDefault(c => c.PersonId == p.Id)
            ?? throw new UsageException($"person_id '{key}' has no case; record one with 'fangkong case add'.");
    }

    private static async Task<int> ClassifyAsync(ParseResult parse, string key, CaseClassification to, CancellationToken ct)
    {
        await using var app = await CliApp.OpenAsync(parse, ct);
        await FindCaseAsync(app.Db, key, ct);
        var classified = await app.Get<ClassifyCase>().HandleAsync(app.Actor, new ClassifyCaseCommand(key, to, await app.PolicyAsync(parse, Policy, ct)), ct);
        System.Console.WriteLine($"case {key}: {to.ToCode()}");
        ControlCommand.Print(classified.Retrace!);
        return 0;
    }
}
