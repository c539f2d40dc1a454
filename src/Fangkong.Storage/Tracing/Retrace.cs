using Fangkong.Policies;
using Fangkong.Storage.Control;

namespace Fangkong.Storage.Tracing;

/// <summary>
/// What follows every change to the case list (a case recorded, confirmed or reclassified, a
/// positive result): the full trace as of now, stored, then the control orders brought in line —
/// one at a time per store (<see cref="TraceLock"/>).
/// </summary>
public static class Retrace
{
    public static Task<(TraceOutcome Trace, SyncOutcome Sync)> RunAsync(Database db, PolicyProfile policy, CancellationToken ct = default) =>
        TraceLock.RunAsync(db, async () =>
        {
            var trace = await TraceRunner.RunAsync(db, policy, db.Now, store: true, ct);
            var sync = await ControlSync.RunAsync(db, policy, ct);
            return (trace, sync);
        }, ct);
}
