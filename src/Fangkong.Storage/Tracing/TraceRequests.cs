using Dapper;

namespace Fangkong.Storage.Tracing;

/// <summary>The re-traces asked for and the last one a trace covered; pending while completed &lt; requested.</summary>
public sealed record TraceRequestState(long Requested, long Completed, long RequestedAt, long? CompletedAt)
{
    public bool Pending => Completed < Requested;
}

/// <summary>
/// A durable counter of re-traces asked for (a case recorded, confirmed, reclassified or withdrawn) and
/// of the last request a finished trace covered. A server answers a change at once and traces behind it;
/// a request still pending when it stopped is traced when it starts again. A trace covers every request
/// made before it read the cases.
/// </summary>
public static class TraceRequests
{
    /// <summary>Asks for a re-trace; returns the request's number.</summary>
    public static async Task<long> RequestAsync(Database db, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return await c.ExecuteScalarAsync<long>(new CommandDefinition(
            "UPDATE trace_requests SET requested = requested + 1, requested_at = @now WHERE id = 1 RETURNING requested", new { now = db.Now }, cancellationToken: ct));
    }

    public static async Task<TraceRequestState> StateAsync(Database db, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return await c.QuerySingleAsync<TraceRequestState>(new CommandDefinition(
            "SELECT requested AS Requested, completed AS Completed, requested_at AS RequestedAt, completed_at AS CompletedAt FROM trace_requests WHERE id = 1", cancellationToken: ct));
    }

    /// <summary>Records that a finished trace covered every request up to <paramref name="upTo"/>.</summary>
    public static async Task CompleteAsync(Database db, long upTo, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE trace_requests SET completed = CASE WHEN completed > @upTo THEN completed ELSE @upTo END, completed_at = @now WHERE id = 1", new { upTo, now = db.Now }, cancellationToken: ct));
    }
}
