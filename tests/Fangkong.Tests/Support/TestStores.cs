using Fangkong.Storage;
using Npgsql;

namespace Fangkong.Tests.Support;

/// <summary>
/// A fresh, empty store for one test on either provider: a temporary SQLite file, or a new
/// database on the PostgreSQL server named by <c>FANGKONG_TEST_PG</c> (the test script starts
/// one and sets it). Without that variable PostgreSQL tests fail; they are never skipped.
/// </summary>
public sealed class TestStore : IAsyncDisposable
{
    private readonly string? _folder;
    private readonly string? _pgDatabase;

    private TestStore(StoreLocation location, string? folder, string? pgDatabase)
    {
        Location = location;
        _folder = folder;
        _pgDatabase = pgDatabase;
    }

    public StoreLocation Location { get; }

    /// <summary>The text to give as <c>--db</c>.</summary>
    public string DbArgument => Location.FilePath ?? Location.ConnectionString;

    public string Folder => _folder ?? throw new InvalidOperationException();

    public static IEnumerable<object[]> Providers => [[StoreProvider.Sqlite], [StoreProvider.Postgres]];

    public static string PostgresServer =>
        Environment.GetEnvironmentVariable("FANGKONG_TEST_PG")
        ?? throw new InvalidOperationException("FANGKONG_TEST_PG is not set: run the tests with ./test.sh, which starts PostgreSQL and sets it.");

    public static async Task<TestStore> CreateAsync(StoreProvider provider)
    {
        var folder = Path.Combine(Path.GetTempPath(), "fangkong-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        if (provider == StoreProvider.Sqlite)
        {
            return new TestStore(StoreLocation.Parse(Path.Combine(folder, "store.db")), folder, null);
        }
        var name = "fk_" + Guid.NewGuid().ToString("N")[..16];
        await using (var admin = new NpgsqlConnection(PostgresServer))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync();
        }
        var builder = new NpgsqlConnectionStringBuilder(PostgresServer) { Database = name };
        return new TestStore(StoreLocation.Parse(builder.ConnectionString), folder, name);
    }

    public Task<Database> OpenAsync(TimeProvider? clock = null) => Database.OpenAsync(Location, clock);

    public string File(string name) => Path.Combine(Folder, name);

    public async Task<string> WriteAsync(string name, string content)
    {
        var path = File(name);
        await System.IO.File.WriteAllTextAsync(path, content.ReplaceLineEndings("\n"));
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_pgDatabase is not null)
        {
            NpgsqlConnection.ClearAllPools();
            // An autovacuum worker can hold a fresh database for a moment; FORCE cannot end it for a non-superuser.
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await using var admin = new NpgsqlConnection(PostgresServer);
                    await admin.OpenAsync();
                    await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_pgDatabase} WITH (FORCE)", admin);
                    await drop.ExecuteNonQueryAsync();
                    break;
                }
                catch (PostgresException) when (attempt < 20)
                {
                    await Task.Delay(500);
                }
            }
        }
        if (_folder is not null && Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
