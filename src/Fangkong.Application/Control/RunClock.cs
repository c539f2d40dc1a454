using Fangkong.Application.Audit;
using Fangkong.Policies;
using Fangkong.Storage;
using Fangkong.Storage.Control;
using Fangkong.Text;

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
            AuditDetail.Write("control.tick", policy.Id, db.Calendar.Format(db.Now), Phrase.Number(t.NewTasks), Phrase.Number(t.MissedTests), Phrase.Number(t.MissedChecks), Phrase.Number(t.ReleasesDue), Phrase.Number(t.Escalations)));
        return t;
    }

}
