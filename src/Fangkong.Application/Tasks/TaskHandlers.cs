using Fangkong.Application.Access;
using Fangkong.Application.Audit;
using Fangkong.Input;
using Fangkong.Storage.Tasks;
using Fangkong.Storage;
using Fangkong.Tasks;
using Fangkong.Text;

namespace Fangkong.Application.Tasks;

public sealed record CompleteTaskCommand(long TaskId, string? Note, int? ExpectedVersion = null);

/// <summary>
/// A task is the actor's to act on when it is owned inside their jurisdiction or concerns a person who
/// lives there; any other task is answered as if it did not exist.
/// </summary>
public sealed class TaskRecords(Database db)
{
    public async Task<TaskItem> OpenAsync(Actor actor, long id, CancellationToken ct)
    {
        var task = await TaskRepository.FindAsync(db, id, ct) ?? throw new Fangkong.Control.RefusedException($"no task #{id}", "task.missing", id);
        if (!Sees(actor, task))
        {
            throw new OutsideJurisdictionException($"task:{id}");
        }
        return task;
    }

    /// <summary>Whether the task is the actor's to act on: owned inside their jurisdiction or about a person living there.</summary>
    public static bool Sees(Actor actor, TaskItem task) => actor.Sees(task.OwnerJurisdiction) || actor.Sees(task.HomeJurisdiction);
}

/// <summary>Completes an open task with a note (任务完成), guarded by its version.</summary>
public sealed class CompleteTask(Database db, TaskRecords tasks, AuditSink audit)
{
    public Task<TaskItem> HandleAsync(Actor actor, CompleteTaskCommand command, CancellationToken ct = default)
    {
        actor.Require(Permission.CompleteTasks);
        return audit.AuditedAsync(actor, "task.done", $"task:{command.TaskId}", async () =>
        {
            FreeText.Require("note", command.Note, FreeText.Long, multiline: true);
            var task = await tasks.OpenAsync(actor, command.TaskId, ct);
            if (TaskActions.NeedsAction(task.Kind) && task.Status == "open")
            {
                throw new Fangkong.Control.RefusedException($"task #{task.Id} ({task.Kind}) is done by its action, not by a note: open it and do it", "task.needsAction", task.Kind);
            }
            var done = await TaskRepository.DoneAsync(db, command.TaskId, actor.Name, command.Note, command.ExpectedVersion, ct);
            return (done, command.Note ?? "");
        });
    }
}

/// <summary>Moves an open task one level up the jurisdiction chain by hand (上报), recording the escalation.</summary>
public sealed class EscalateTask(Database db, TaskRecords tasks, AuditSink audit)
{
    public Task<TaskItem> HandleAsync(Actor actor, long taskId, CancellationToken ct = default)
    {
        actor.Require(Permission.CompleteTasks);
        return audit.AuditedAsync(actor, "task.escalate", $"task:{taskId}", async () =>
        {
            await tasks.OpenAsync(actor, taskId, ct);
            var escalated = await TaskRepository.EscalateAsync(db, taskId, actor.Name, ct);
            return (escalated, AuditDetail.Write("escalated", escalated.OwnerJurisdiction));
        });
    }
}
