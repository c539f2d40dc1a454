using Fangkong.Policies;
using Fangkong.Storage.Contacts;
using Fangkong.Tracing;

namespace Fangkong.Storage.Tracing;

/// <summary>The outcome of a trace: the data it read, what it found, how many stored contacts changed, and the time each part took.</summary>
public sealed record TraceOutcome(TraceData Data, IReadOnlyList<ContactFinding> Findings, long Changed, TraceTiming Timing);

/// <summary>Where a trace's time went: reading the store, the engine, storing the contacts.</summary>
public sealed record TraceTiming(TimeSpan Load, TimeSpan Engine, TimeSpan Store)
{
    public override string ToString() => $"load {Load.TotalMilliseconds:F0} ms, engine {Engine.TotalMilliseconds:F0} ms, store {Store.TotalMilliseconds:F0} ms";
}

/// <summary>Runs a full trace of every case and stores the contacts with their evidence (idempotent).</summary>
public static class TraceRunner
{
    public static Task<TraceOutcome> RunAsync(Database db, PolicyProfile policy, long asOf, bool store, CancellationToken ct = default) => RunAsync(db, policy, asOf, store, null, ct);

    /// <param name="live">The server's stays in memory, if it keeps them.</param>
    public static async Task<TraceOutcome> RunAsync(Database db, PolicyProfile policy, long asOf, bool store, LiveStays? live, CancellationToken ct = default)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var data = await TraceData.LoadAsync(db, policy, asOf, live, ct);
        var load = watch.Elapsed;
        var findings = data.Engine().Trace(data.Cases, k => data.ControlTime(k, asOf));
        var engine = watch.Elapsed;
        var changed = store ? await ContactRepository.ReplaceAllAsync(db, findings, policy, ct) : 0;
        return new TraceOutcome(data, findings, changed, new TraceTiming(load, engine - load, watch.Elapsed - engine));
    }
}
