using Fangkong.Application.Audit;
using Fangkong.Storage;
using Fangkong.Text;

namespace Fangkong.Application.Time;

/// <summary>
/// Sets the store's simulated clock (a drill or the demo runs on it), or returns the store to real time
/// (<c>null</c>). Every step recorded afterwards carries the simulated time; the audit log keeps real
/// time, and records each change of the clock as <c>clock.set</c>.
/// </summary>
public sealed class SetClock(Database db, AuditSink audit)
{
    public async Task HandleAsync(Actor actor, long? simulatedTime, CancellationToken ct = default)
    {
        await SimulatedClock.SetAsync(db, simulatedTime, ct);
        await audit.RecordAsync(actor, "clock.set", "clock", simulatedTime is { } t ? AuditDetail.Write("clock.set", db.Calendar.Format(t)) : AuditDetail.Write("clock.real"));
    }
}
