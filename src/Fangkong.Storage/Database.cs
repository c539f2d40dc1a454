using System.Data.Common;
using Fangkong.Time;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Fangkong.Storage;

/// <summary>
/// One store on one provider: opens connections, runs migrations, and hides the few SQL
/// differences between SQLite and PostgreSQL. Queries elsewhere are written once for both.
/// </summary>
public sealed class Database : IAsyncDisposable
{
    private readonly NpgsqlDataSource? _npgsql;

    private Database(StoreLocation location, TimeProvider? clock, DeploymentCalendar calendar)
    {
        Location = location;
        Clock = clock ?? TimeProvider.System;
        Calendar = calendar;
        if (location.Provider == StoreProvider.Postgres)
        {
            _npgsql = NpgsqlDataSource.Create(location.ConnectionString);
        }
    }

    public StoreLocation Location { get; }

    /// <summary>The audit log's checkpoints outside the database, and their key.</summary>
    public Audit.AuditAnchors AuditAnchors => _auditAnchors ??= Audit.AuditAnchors.For(Location);

    private Audit.AuditAnchors? _auditAnchors;

    public StoreProvider Provider => Location.Provider;

    /// <summary>The clock: the one given when opening, else the store's simulated clock if set ('fangkong clock'), else the system clock.</summary>
    public TimeProvider Clock { get; private set; }

    /// <summary>True when the time comes from the store's simulated clock.</summary>
    public bool Simulated { get; private set; }

    public DeploymentCalendar Calendar { get; }

    public long Now => Clock.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>The stays (check-ins, grid stays) this process appended, announced as they commit.</summary>
    public Checkins.StayChanges Stays { get; } = new();

    /// <summary>Opens (and creates or upgrades) the store.</summary>
    public static async Task<Database> OpenAsync(StoreLocation location, TimeProvider? clock = null, DeploymentCalendar? calendar = null, CancellationToken ct = default)
    {
        var db = new Database(location, clock, calendar ?? DeploymentCalendar.Default);
        try
        {
            if (location.FilePath is { } path && Path.GetDirectoryName(path) is { Length: > 0 } dir)
            {
                Directory.CreateDirectory(dir);
            }
            await using (var probe = await db.OpenConnectionAsync(ct))
            {
            }
            Migrations.Run(db);
            if (clock is null && await SimulatedClock.ReadAsync(db, ct) is { } simulated)
            {
                db.Clock = new FixedClock(DateTimeOffset.FromUnixTimeSeconds(simulated));
                db.Simulated = true;
            }
            return db;
        }
        catch (Exception e) when (e is NpgsqlException or SqliteException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            await db.DisposeAsync();
            throw new StoreException(Explain(location, e), e);
        }
    }

    private static string Explain(StoreLocation location, Exception e) => location.Provider switch
    {
        StoreProvider.Postgres when e is NpgsqlException { InnerException: System.Net.Sockets.SocketException } =>
            $"Cannot reach PostgreSQL at {location}: {e.InnerException!.Message}. Start the server or check Host and Port.",
        StoreProvider.Postgres => $"Cannot open PostgreSQL store {location}: {e.Message}",
        _ => $"Cannot open the store file {location.FilePath}: {e.Message}",
    };

    public async Task<DbConnection> OpenConnectionAsync(CancellationToken ct = default)
    {
        if (_npgsql is not null)
        {
            return await _npgsql.OpenConnectionAsync(ct);
        }
        var connection = new SqliteConnection(Location.ConnectionString);
        await connection.OpenAsync(ct);
        await using var pragma = connection.CreateCommand();
        // WAL with FULL sync: an acknowledged write survives a crash or power loss. Case-sensitive LIKE
        // lets a prefix search on a jurisdiction code (digits only) use the ordinary index.
        pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000; PRAGMA case_sensitive_like=ON;";
        await pragma.ExecuteNonQueryAsync(ct);
        return connection;
    }

    /// <summary>
    /// Refreshes the query planner's statistics (after large imports, a demo, or when a server starts).
    /// A full ANALYZE: sampled statistics misjudge few-valued columns such as a task's status.
    /// </summary>
    public async Task AnalyzeAsync(CancellationToken ct = default)
    {
        await using var c = await OpenConnectionAsync(ct);
        await using var command = c.CreateCommand();
        command.CommandText = "ANALYZE";
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (_npgsql is not null)
        {
            await _npgsql.DisposeAsync();
        }
        else
        {
            SqliteConnection.ClearAllPools();
        }
    }
}
