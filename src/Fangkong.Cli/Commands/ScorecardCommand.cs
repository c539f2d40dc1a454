using System.CommandLine;
using System.Globalization;
using Fangkong.Storage.Control;
using Spectre.Console;

namespace Fangkong.Cli.Commands;

/// <summary><c>fangkong scorecard</c>: timeliness (四早) per case and per county against the policy's hours, with open and overdue tasks.</summary>
internal static class ScorecardCommand
{
    public static Command Build()
    {
        var cases = new Option<bool>("--cases") { Description = "One line per case instead of per county." };
        var command = new Command("scorecard", "Timeliness per county (or --cases): hours from a case's report until all its close contacts are under control, against the policy's target; open, overdue and escalated tasks.") { cases };
        command.Options.Add(ControlCommand.Policy);
        command.SetAction(async (parse, ct) =>
        {
            await using var db = await CommandLine.OpenStoreAsync(parse, ct);
            var policy = await ControlCommand.PolicyOfAsync(parse, db, ct);
            var target = policy.Control.CloseContactsUnderControlWithinHours;
            static string H(double? h) => h is { } x ? x.ToString("0.0", CultureInfo.InvariantCulture) : "—";
            if (parse.GetValue(cases))
            {
                var rows = await Scorecard.CasesAsync(db, policy, ct);
                var table = new Table().AddColumns("case 病例", "county 区县", "reported 报告", "close 密接", "under control 已管控", "hours 小时", $"≤ {target} h");
                foreach (var r in rows)
                {
                    table.AddRow(Markup.Escape(r.CaseKey), r.County, db.Calendar.Format(r.ReportTime), $"{r.CloseContacts}", $"{r.UnderControl}", H(r.Hours), r.Met ? "yes 达标" : r.Hours is null ? "pending 未完成" : "[red]no 超时[/]");
                }
                Fangkong.Cli.Console.Screen.Write(table);
                System.Console.WriteLine($"{rows.Count} case(s): {rows.Count(r => r.Met)} met the {target}-hour target under {policy.Id}, {rows.Count(r => r.Hours is null)} pending.");
                return 0;
            }
            var counties = await Scorecard.CountiesAsync(db, policy, ct);
            var t = new Table().AddColumns("county 区县", "cases 病例", $"met ≤{target} h", "pending", "median h", "close 密接", "under control", "open tasks", "overdue 逾期", "escalated 上报");
            foreach (var c in counties)
            {
                t.AddRow($"{c.County} {Markup.Escape(c.Name)}", $"{c.Cases}", $"{c.CasesMet}", $"{c.CasesPending}", H(c.MedianHours), $"{c.CloseContacts}", $"{c.CloseUnderControl}", $"{c.OpenTasks}", $"{c.OverdueTasks}", $"{c.EscalatedTasks}");
            }
            Fangkong.Cli.Console.Screen.Write(t);
            System.Console.WriteLine($"{counties.Count} county line(s) under {policy.Id} (target: close contacts under control within {target} h of the report).");
            return 0;
        });
        return command;
    }
}
