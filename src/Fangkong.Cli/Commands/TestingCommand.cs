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
        return command;
    }

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
