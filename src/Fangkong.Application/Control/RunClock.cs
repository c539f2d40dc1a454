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
            Fangkong.Text.AuditDetail.Write("control.tick", policy.Id, db.Calendar.Format(db.Now), N(t.NewTasks), N(t.MissedTests), N(t.MissedChecks), N(t.ReleasesDue), N(t.Escalations)));
        return t;
    }

    private static string N(long n) => Fangkong.Text.Phrase.Number(n);
}
