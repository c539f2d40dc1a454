using System.Data.Common;
using Dapper;

namespace Fangkong.Storage.Tracing;

/// <summary>
/// Held by whoever stores a trace and brings the orders in line with it, from reading the cases to
/// the last order written: two traces at once (two officers confirming cases, or the server and a
/// command line) could otherwise store the one that read the cases first, last — and lose the other
/// case's contacts. A lock file beside the embedded store; an advisory lock on PostgreSQL.
/// </summary>
public sealed class TraceLock : IAsyncDisposable
{
    private const long AdvisoryKey = 0x464B_5452_4143_45; // "FKTRACE"

    private readonly IAsyncDisposable? _file;
    private readonly DbConnection? _connection;

    private TraceLock(IAsyncDisposable? file, DbConnection? connection)
    {
        _file = file;
        _connection = connection;
    }

    public static async Task<TraceLock> AcquireAsync(Database db, CancellationToken ct = default)
    {
        if (db.Location.FilePath is { } path)
        {
            return new TraceLock(await FileLock.AcquireAsync(path + ".trace.lock", ct), null);
        }
        var c = await db.OpenConnectionAsync(ct);
        try
        {
            await c.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_lock(@AdvisoryKey)", new { AdvisoryKey }, cancellationToken: ct));
            return new TraceLock(null, c);
        }
        catch
        {
            await c.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs <paramref name="work"/> holding the lock.</summary>
    public static async Task<T> RunAsync<T>(Database db, Func<Task<T>> work, CancellationToken ct = default)
    {
        await using var held = await AcquireAsync(db, ct);
        return await work();
    }

    public async ValueTask DisposeAsync()
    {
        if (_file is not null)
        {
            await _file.DisposeAsync();
        }
        if (_connection is not null)
        {
            await _connection.ExecuteAsync("SELECT pg_advisory_unlock(@AdvisoryKey)", new { AdvisoryKey });
            await _connection.DisposeAsync();
        }
    }
}
