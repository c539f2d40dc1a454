using Fangkong.Policies;
using Fangkong.Storage.Tracing;
using Fangkong.Storage;
using Microsoft.Extensions.Logging;

namespace Fangkong.Application.Tracing;

/// <summary>
/// The server's re-traces, behind the answer: a change to the case list records a request and returns;
/// one worker traces the whole store (<see cref="Retrace"/>) while requests are pending, so a burst of
/// confirmations costs one or two traces, not one each. Requests are durable: one pending when the
/// server stopped is traced when it starts again.
/// </summary>
public sealed class TraceBehind(Database db, Retrace retrace, ILogger<TraceBehind>? log = null) : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0);
    private (Actor Actor, PolicyProfile? Policy)? _last;

    /// <summary>Asks for a re-trace by <paramref name="actor"/> under <paramref name="policy"/> (null: the store's choice); returns its number.</summary>
    public async Task<long> RequestAsync(Actor actor, PolicyProfile? policy, CancellationToken ct = default)
    {
        var number = await TraceRequests.RequestAsync(db, ct);
        _last = (actor, policy);
        _signal.Release();
        return number;
    }

    public void Dispose() => _signal.Dispose();

    /// <summary>The worker: traces while requests are pending, then waits for the next one. Runs until <paramref name="ct"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if ((await TraceRequests.StateAsync(db, ct)).Pending)
                {
                    var (actor, policy) = _last ?? (Actor.System("trace"), null);
                    await retrace.HandleAsync(actor, policy, ct);
                    continue;
                }
                await _signal.WaitAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The request stays pending: tried again shortly (the store may be busy or briefly unreachable);
                // the server goes on answering meanwhile, and the error is in its log.
                log?.LogError(e, "Re-trace failed; trying again in 5 s");
                await Task.Delay(TimeSpan.FromSeconds(5), ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }
}

/// <summary>
/// What follows a change to the case list. On the command line the re-trace runs at once and the
/// command prints what it found; in the server (<see cref="TraceBehind"/> registered) it is asked for
/// and runs behind the answer, and the outcome is null.
/// </summary>
public sealed class CaseTracing(Retrace retrace, TraceBehind? behind = null)
{
    public bool Behind => behind is not null;

    public async Task<RetraceOutcome?> AfterChangeAsync(Actor actor, PolicyProfile? policy, CancellationToken ct = default)
    {
        if (behind is null)
        {
            return await retrace.HandleAsync(actor, policy, ct);
        }
        await behind.RequestAsync(actor, policy, ct);
        return null;
    }
}
