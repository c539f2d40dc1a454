using System.CommandLine;
using Fangkong.Application.Tasks;
using Fangkong.Cli.Console;
using Fangkong.Storage.Tasks;
using Spectre.Console;

namespace Fangkong.Cli.Commands;

/// <summary><c>fangkong task list|done|escalate</c>: everything that must be done, with an owner and a due time (C11).</summary>
internal static class TaskCommand
{
    public static Command Build()
    {
        var command = new Command("task", "Tasks (任务): owner, due time, priority and source; overdue tasks escalate community → county → city → region.");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Done());
        command.Subcommands.Add(Escalate());
        return command;
    }

    private static Command List()
    {
        var mine = new Option<string?>("--mine") { Description = "Only tasks owned by this staff_key ('my tasks')." };
        var within = new Option<string?>("--within") { Description = "Only tasks owned by this division or below (including tasks escalated to it)." };
        var overdue = new Option<bool>("--overdue") { Description = "Only tasks past their due time." };
        var status = new Option<string>("--status") { Description = "open, done or all.", DefaultValueFactory = _ => "open" };
        status.AcceptOnlyFromAmong("open", "done", "all");
        var kind = new Option<string?>("--kind") { Description = "notify, transfer, test, health_check, release, review, fever, find." };
        var limit = new Option<int>("--limit") { Description = "At most this many rows.", DefaultValueFactory = _ => 200 };
        var command = new Command("list", "List tasks, most urgent first.") { mine, within, overdue, status, kind, limit };
        command.SetAction(async (parse, ct) =>
        {
            await using var db = await CommandLine.OpenStoreAsync(parse, ct);
            var st = parse.GetValue(status) == "all" ? null : parse.GetValue(status);
            var tasks = await TaskRepository.ListAsync(db, new TaskQuery(ControlCommand.Within(parse, within), parse.GetValue(mine), st, parse.GetValue(overdue), parse.GetValue(kind), parse.GetValue(limit)), ct);
            var now = db.Now;
            var table = new Table().AddColumns("task", "kind", "title 任务", "person_id", "owner 责任人", "jurisdiction 辖区", "due 期限", "status");
            foreach (var t in tasks)
            {
                var late = t.Status == "open" && t.DueAt < now;
                table.AddRow($"#{t.Id}", t.Kind, Markup.Escape(CliText.Title(t.Title)), Markup.Escape(t.PersonKey ?? ""), Markup.Escape(t.OwnerStaffKey is null ? "—" : $"{t.OwnerStaffKey} {t.OwnerStaffName}"),
                    t.OwnerJurisdiction + (t.EscalationLevel > 0 ? $" ↑{t.EscalationLevel}" : ""), (late ? "[red]" : "") + db.Calendar.Format(t.DueAt) + (late ? " overdue[/]" : ""), t.Status);
            }
            Fangkong.Cli.Console.Screen.Write(table);
            System.Console.WriteLine($"{tasks.Count} task(s), {tasks.Count(t => t.Status == "open" && t.DueAt < now)} overdue.");
            return 0;
        });
        return command;
    }

    private static Command Done()
    {
        var id = new Argument<long>("task") { Description = "The task number." };
        var note = new Option<string?>("--note") { Description = "What was done." };
        var expect = new Option<int?>("--expect-version") { Description = "Act only if the task is still at this version." };
        var command = new Command("done", "Mark a task done.") { id, note, expect };
        command.SetAction(async (parse, ct) =>
        {
            await using var app = await CliApp.OpenAsync(parse, ct);
            var t = await app.Get<CompleteTask>().HandleAsync(app.Actor, new CompleteTaskCommand(parse.GetValue(id), parse.GetValue(note), parse.GetValue(expect)), ct);
            System.Console.WriteLine($"task #{t.Id} done by {t.DoneBy}: {CliText.Title(t.Title)}");
            return 0;
        });
        return command;
    }

    private static Command Escalate()
    {
        var id = new Argument<long>("task") { Description = "The task number." };
        var command = new Command("escalate", "Escalate a task one level up the jurisdiction chain now (the clock does it by itself after the policy's delays).") { id };
        command.SetAction(async (parse, ct) =>
        {
            await using var app = await CliApp.OpenAsync(parse, ct);
            var t = await app.Get<EscalateTask>().HandleAsync(app.Actor, parse.GetValue(id), ct);
            System.Console.WriteLine($"task #{t.Id} escalated to {t.OwnerJurisdiction} (level {t.EscalationLevel})");
            return 0;
        });
        return command;
    }
}
