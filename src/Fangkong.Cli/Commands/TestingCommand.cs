using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Fangkong.Testing;

namespace Fangkong.Cli.Commands;

/// <summary><c>fangkong testing</c>: mass and routine testing (核酸检测). First: the pool size for a prevalence.</summary>
internal static class TestingCommand
{
    public static Command Build()
    {
        var command = new Command("testing", "Mass and routine testing (核酸检测): pooled tubes and their size.");
        command.Subcommands.Add(PoolSize());
        command.Subcommands.Add(Missing());
        return command;
    }

    private static Command Missing()
    {
        var area = new Option<string>("--area") { Description = "The area: a county, township or community code (GB/T 2260) the store knows; its townships and communities are included.", Required = true };
        var from = new Option<string>("--from") { Description = "Start of the period, ISO 8601 with offset (included).", Required = true };
        var to = new Option<string>("--to") { Description = "End of the period, ISO 8601 with offset (excluded).", Required = true };
        var output = new Option<string>("--out") { Description = "The CSV file to write: person_id, community_code.", Required = true };
        var command = new Command("missing", "The residents of an area with no sample taken in [from, to): whom the community workers still have to bring to sampling.") { area, from, to, output };
        command.SetAction(async (parse, ct) =>
        {
            var code = parse.GetValue(area)!.Trim();
            var start = Time(parse.GetValue(from)!, "--from");
            var end = Time(parse.GetValue(to)!, "--to");
            if (end <= start)
            {
                throw new UsageException($"--to: '{parse.GetValue(to)}' is not after --from; the period is [from, to).");
            }
            await using var db = await CommandLine.OpenStoreAsync(parse, ct);
            if (!Jurisdictions.JurisdictionCode.TryParse(code, out _, out var error)
                || !(await Storage.Jurisdictions.JurisdictionRepository.LoadAllAsync(db, ct)).Any(j => j.Code.Value == code))
            {
                throw new UsageException($"--area: '{code}' is not an area the store knows{(error is null ? "" : $" ({error})")}; give a county, township or community code.");
            }
            var missing = await Storage.Testing.TubeRepository.MissingAsync(db, code, start, end, ct);
            var path = parse.GetValue(output)!;
            using (var csv = new Files.Csv.CsvOutput(path))
            {
                csv.Row("person_id", "community_code");
                foreach (var (person, community) in missing)
                {
                    csv.Row(person, community);
                }
            }
            System.Console.WriteLine($"{missing.Count:N0} resident(s) of {code} with no sample in [{db.Calendar.Format(start)}, {db.Calendar.Format(end)}): {path}");
            return 0;
        });
        return command;
    }

    private static long Time(string text, string option) =>
        Fangkong.Time.IsoTime.TryParse(text, Fangkong.Time.DeploymentCalendar.Default, out var t) && Fangkong.Time.IsoTime.HasOffset(text)
            ? t
            : throw new UsageException($"{option}: '{text}' is not an ISO 8601 time with an offset, such as 2021-10-23T00:00:00+08:00.");

    private static Command PoolSize()
    {
        var prevalence = new Option<string>("--prevalence") { Description = "The share of people infected: a proportion (0.01) or a percentage (1%).", Required = true };
        var format = new Option<string>("--format") { Description = "text or json ({\"pool_size\": k, \"tests_per_person\": e, \"prevalence\": p}).", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var command = new Command("pool-size",
            "The pool size k ≥ 2 that minimises Dorfman's expected tests per person E(k, p) = 1/k + 1 − (1 − p)^k, or 1 when no pool beats testing everyone alone, and that expectation.")
        { prevalence, format };
        command.SetAction(parse =>
        {
            var p = Prevalence(parse.GetValue(prevalence)!);
            var best = PoolSizing.Best(p);
            if (parse.GetValue(format) == "json")
            {
                System.Console.WriteLine(JsonSerializer.Serialize(new { pool_size = best.PoolSize, tests_per_person = best.TestsPerPerson, prevalence = p }));
                return 0;
            }
            var share = (p * 100).ToString("0.####", CultureInfo.InvariantCulture);
            System.Console.WriteLine(best.PoolSize == 1
                ? $"pool size 1: at a prevalence of {share} % no pool beats testing everyone alone (1 test per person)"
                : $"pool size {best.PoolSize}: {best.TestsPerPerson.ToString("0.000", CultureInfo.InvariantCulture)} tests per person at a prevalence of {share} % (Dorfman), "
                  + $"{((1 - best.TestsPerPerson) * 100).ToString("0.0", CultureInfo.InvariantCulture)} % fewer than testing everyone alone");
            return 0;
        });
        return command;
    }

    /// <summary>A proportion (0.01) or a percentage (1%), strictly above 0 and at most 1.</summary>
    internal static double Prevalence(string text)
    {
        var t = text.Trim();
        var percent = t.EndsWith('%');
        if (!double.TryParse(percent ? t[..^1].TrimEnd() : t, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || double.IsNaN(value))
        {
            throw new UsageException($"--prevalence: '{text}' is not a number; give a proportion such as 0.01 or a percentage such as 1%.");
        }
        var p = percent ? value / 100 : value;
        if (p < PoolSizing.Smallest || p > 1)
        {
            throw new UsageException($"--prevalence: '{text}' is outside ({PoolSizing.Smallest.ToString(CultureInfo.InvariantCulture)}, 1]: a prevalence is a share of people above zero and at most all of them.");
        }
        return p;
    }
}
