using Fangkong.Application.Access;
using Fangkong.Application.Audit;
using Fangkong.Control;
using Fangkong.Input;
using Fangkong.Storage.Control;
using Fangkong.Storage.Tasks;
using Fangkong.Storage;
using Fangkong.Text;
using Fangkong.Tasks;

namespace Fangkong.Application.Tasks;

/// <summary>The tasks selected on a board, and the note a bulk completion records on each.</summary>
public sealed record BulkTasksCommand(IReadOnlyList<long> TaskIds, string? Note = null);

/// <summary>What a bulk action did: the tasks it completed and, for each one it left, why (a refusal code).</summary>
public sealed record BulkTasksOutcome(IReadOnlyList<long> Done, IReadOnlyList<(long TaskId, string Code)> Left);

/// <summary>
/// The task board's bulk actions, where the action allows one: telling every selected person of their
/// measure (notify tasks: the order moves 已判定 → 已告知 and the task is done by that step), and
/// completing judgement tasks (a review, a fever followed up, a person found) with one note. Samples,
/// health checks, transfers and release decisions are per person and are not offered in bulk. A task
/// outside the actor's jurisdiction or of a kind their role does not act on is left, never touched.
/// Audited as <c>task.bulk.notify</c> / <c>task.bulk.done</c>.
/// </summary>
public sealed class BulkTasks(Database db, AuditSink audit)
{
    /// <summary>The most tasks one bulk action takes (a page of the board at its largest).</summary>
    public const int MaxSelection = PageRequest.MaxSize;

    public Task<BulkTasksOutcome> NotifyAsync(Actor actor, BulkTasksCommand command, CancellationToken ct = default)
    {
        actor.Require(Permission.NotifyPeople);
        return RunAsync(actor, "notify", command, async tasks =>
        {
            var left = new List<(long, string)>();
            var ofOrder = new Dictionary<long, long>();
            foreach (var t in tasks)
            {
                if (t.Kind != "notify" || t.SourceKind != "order")
                {
                    left.Add((t.Id, "task.bulkKind"));
                }
                else
                {
                    ofOrder[t.Id] = t.SourceId;
                }
            }
            var orders = await ControlRepository.FindManyAsync(db, [.. ofOrder.Values.Distinct()], ct);
            var toNotify = orders.Values.Where(o => o.Active && o.Status == ControlStatus.Identified).Select(o => o.Id).ToHashSet();
            foreach (var (task, _) in ofOrder.Where(x => !toNotify.Contains(x.Value)))
            {
                left.Add((task, "task.bulkOrderMoved"));
            }
            if (toNotify.Count > 0)
            {
                await using var s = await StoreSession.BeginAsync(db, ct);
                await ControlActions.MoveManyAsync(s, [.. toNotify], ControlStatus.Identified, ControlStatus.Notified, actor.Name, LoopLog.Write("taskBoardNotified"), ct);
                await s.CommitAsync(ct);
            }
            var done = (await TaskRepository.FindManyAsync(db, [.. ofOrder.Keys], ct)).Where(t => t.Status == "done" && toNotify.Contains(t.SourceId)).Select(t => t.Id).ToList();
            return (done, left);
        }, ct);
    }

    public Task<BulkTasksOutcome> CompleteAsync(Actor actor, BulkTasksCommand command, CancellationToken ct = default)
    {
        actor.Require(Permission.CompleteTasks);
        FreeText.Require("note", command.Note, FreeText.Long, multiline: true);
        var note = string.IsNullOrWhiteSpace(command.Note) ? null : command.Note.Trim();
        return RunAsync(actor, "done", command, async tasks =>
        {
            var done = new List<long>();
            var left = new List<(long, string)>();
            foreach (var t in tasks)
            {
                if (TaskActions.NeedsAction(t.Kind))
                {
                    left.Add((t.Id, "task.needsAction"));
                    continue;
                }
                try
                {
                    await TaskRepository.DoneAsync(db, t.Id, actor.Name, note, t.Version, ct);
                    done.Add(t.Id);
                }
                catch (ConcurrencyException)
                {
                    left.Add((t.Id, "task.changed"));
                }
                catch (RefusedException e)
                {
                    left.Add((t.Id, e.Code ?? "task.notOpen"));
                }
            }
            return (done, left);
        }, ct);
    }

    private Task<BulkTasksOutcome> RunAsync(Actor actor, string action, BulkTasksCommand command, Func<List<TaskItem>, Task<(List<long> Done, List<(long, string)> Left)>> act, CancellationToken ct)
    {
        if (command.TaskIds.Count == 0)
        {
            throw new RefusedException("no task is selected", "task.bulkNone");
        }
        if (command.TaskIds.Count > MaxSelection)
        {
            throw new RefusedException($"at most {MaxSelection} tasks at once", "task.bulkTooMany", MaxSelection);
        }
        return audit.AuditedAsync(actor, $"task.bulk.{action}", $"jurisdiction:{actor.Jurisdiction.Value}", async () =>
        {
            var offered = TaskOffers.KindsFor(actor.Permissions).ToHashSet(StringComparer.Ordinal);
            var personTasks = TaskOffers.PersonTasksFor(actor.Permissions);
            var found = await TaskRepository.FindManyAsync(db, command.TaskIds, ct);
            var ids = found.Select(t => t.Id).ToHashSet();
            var left = command.TaskIds.Distinct().Where(id => !ids.Contains(id)).Select(id => (id, "task.missing")).ToList();
            var mine = new List<TaskItem>();
            foreach (var t in found)
            {
                if (!TaskRecords.Sees(actor, t))
                {
                    left.Add((t.Id, "task.missing"));   // outside: the same answer as a task that does not exist
                }
                else if (!offered.Contains(t.Kind) || (t.PersonKey is not null && !personTasks))
                {
                    left.Add((t.Id, "task.notOffered"));
                }
                else if (t.Status != "open")
                {
                    left.Add((t.Id, "task.notOpen"));
                }
                else
                {
                    mine.Add(t);
                }
            }
            var (done, leftByAction) = mine.Count == 0 ? ([], []) : await act(mine);
            left.AddRange(leftByAction);
            var outcome = new BulkTasksOutcome(done, left);
            return (outcome, AuditDetail.Write(left.Count == 0 ? "bulkDone" : "bulkDoneLeft", Phrase.Number(done.Count), Phrase.Number(command.TaskIds.Count),
                string.Join(",", done.Take(100)), string.Join(",", left.Take(100).Select(l => $"{l.Item1} {l.Item2}"))));
        });
    }
}
