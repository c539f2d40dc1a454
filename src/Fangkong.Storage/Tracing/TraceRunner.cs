using Fangkong.Policies;
using Fangkong.Storage.Contacts;
using Fangkong.Tracing;

namespace Fangkong.Storage.Tracing;

/// <summary>The outcome of a trace: the data it read, what it found, and how many stored contacts changed.</summary>
public sealed record TraceOutcome(TraceData Data, IReadOnlyList<ContactFinding> Findings, long Changed);

/// <summary>Runs a full trace of every case and stores the contacts with their evidence (idempotent).</summary>
public static class TraceRunner
{
    public static async Task<TraceOutcome> RunAsync(Database db, PolicyProfile policy, long asOf, bool store, CancellationToken ct = default)
    {
        var data = await TraceData.LoadAsync(db, policy, asOf, ct);
        var findings = data.Engine().Trace(data.Cases, p => data.ControlTime(p, asOf));
        var changed = store ? await ContactRepository.ReplaceAllAsync(db, findings, policy, ct) : 0;
        return new TraceOutcome(data, findings, changed);
    }
}
