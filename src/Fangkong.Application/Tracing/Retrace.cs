using Fangkong.Application.Audit;
using Fangkong.Application.Policies;
using Fangkong.Policies;
using Fangkong.Storage.Control;
using Fangkong.Storage.Tracing;
using Fangkong.Storage;
using Fangkong.Text;

namespace Fangkong.Application.Tracing;

/// <summary>What a re-trace found and what the control orders did (and how long bringing them in line took).</summary>
public sealed record RetraceOutcome(TraceOutcome Trace, SyncOutcome Sync, PolicyProfile Policy, TimeSpan SyncTime)
{
    /// <summary>Where the time went, part by part.</summary>
    public string Timing => $"{Trace.Timing}, orders {SyncTime.TotalMilliseconds:F0} ms";
}

/// <summary>
/// The one entry point of what follows every change to the case list (a case recorded, confirmed or
/// reclassified, a positive result): the full trace as of now under the store's policy (or the one
/// given), stored, then the control orders brought in line — one at a time per store, inside the
/// <see cref="TraceLock"/>. Audited as <c>trace.run</c>. It covers every re-trace asked for before it
/// read the cases (<see cref="TraceRequests"/>). In the server it reads the stays from memory
/// (<see cref="LiveStays"/>), not from the store.
/// </summary>
public sealed class Retrace(Database db, StorePolicy policies, AuditSink audit, LiveStays? live = null)
{
    public Task<RetraceOutcome> HandleAsync(Actor actor, PolicyProfile? policy = null, CancellationToken ct = default) => HandleAsync(actor, policy, null, ct);

    /// <param name="asOf">The time the trace is made as of (the batch contract's --as-of); null: the store's now.</param>
    public async Task<RetraceOutcome> HandleAsync(Actor actor, PolicyProfile? policy, long? asOf, CancellationToken ct = default)
    {
        var profile = policy ?? await policies.CurrentAsync(ct);
        var outcome = await TraceLock.RunAsync(db, async () =>
        {
            var covers = (await TraceRequests.StateAsync(db, ct)).Requested;
            var trace = await TraceRunner.RunAsync(db, profile, asOf ?? db.Now, store: true, live, ct);
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var sync = await ControlSync.RunAsync(db, profile, ct);
            await TraceRequests.CompleteAsync(db, covers, CancellationToken.None);
            return new RetraceOutcome(trace, sync, profile, watch.Elapsed);
        }, ct);
        await audit.RecordAsync(actor, "trace.run", "contacts", AuditDetail.Write("trace.run", profile.Id, Phrase.Number(outcome.Trace.Findings.Count), Phrase.Number(outcome.Sync.Created)));
        return outcome;
    }

    /// <summary>Only the orders brought in line with the stored contacts and cases (no new trace), in the same lock.</summary>
    public async Task<SyncOutcome> SyncAsync(Actor actor, PolicyProfile? policy = null, CancellationToken ct = default)
    {
        var profile = policy ?? await policies.CurrentAsync(ct);
        var sync = await TraceLock.RunAsync(db, () => ControlSync.RunAsync(db, profile, ct), ct);
        await audit.RecordAsync(actor, "control.sync", "control_orders", AuditDetail.Write("control.sync", profile.Id, Phrase.Number(sync.Created), Phrase.Number(sync.Extended), Phrase.Number(sync.Upgraded), Phrase.Number(sync.Converted), Phrase.Number(sync.Reviews)));
        return sync;
    }

}
