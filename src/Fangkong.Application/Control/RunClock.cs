using Fangkong.Application.Audit;
using Fangkong.Policies;
using Fangkong.Storage;
using Fangkong.Storage.Control;

namespace Fangkong.Application.Control;

/// <summary>
/// The loop's time rules as of now: tasks for missed tests and health checks and for planned ends
/// reached, and escalation of overdue tasks up the jurisdiction chain. Audited as <c>control.tick</c>
/// with what it did.
/// </summary>
public sealed class RunClock(Database db, AuditSink audit)
{
    public async Task<TickOutcome> HandleAsync(Actor actor, PolicyProfile policy, CancellationToken ct = default)
    {
        var t = await ControlClock.TickAsync(db, policy, ct);
        await audit.RecordAsync(actor, "control.tick", "tasks",
            $"{policy.Id} at {db.Calendar.Format(db.Now)}: {t.NewTasks} new task(s), {t.MissedTests} missed test(s), {t.MissedChecks} missed check day(s), {t.ReleasesDue} release review(s), {t.Escalations} escalation(s)");
        return t;
    }
}
