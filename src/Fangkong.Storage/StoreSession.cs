using System.Data.Common;

namespace Fangkong.Storage;

/// <summary>A connection with an open transaction: everything written through it commits together or not at all.</summary>
public sealed class StoreSession : IAsyncDisposable
{
    private StoreSession(Database db, DbConnection connection, DbTransaction transaction)
    {
        Db = db;
        Connection = connection;
        Transaction = transaction;
    }

    public Database Db { get; }

    public DbConnection Connection { get; }

    public DbTransaction Transaction { get; }

    public static async Task<StoreSession> BeginAsync(Database db, CancellationToken ct = default)
    {
        var connection = await db.OpenConnectionAsync(ct);
        var transaction = await connection.BeginTransactionAsync(ct);
        return new StoreSession(db, connection, transaction);
    }

    public Task CommitAsync(CancellationToken ct = default) => Transaction.CommitAsync(ct);

    /// <summary>Runs <paramref name="work"/> in a new session and commits it; nothing is written if it throws.</summary>
    public static async Task<T> RunAsync<T>(Database db, Func<StoreSession, Task<T>> work, CancellationToken ct = default)
    {
        await using var s = await BeginAsync(db, ct);
        var result = await work(s);
        await s.CommitAsync(ct);
        return result;
    }

    public async ValueTask DisposeAsync()
    {
        await Transaction.DisposeAsync();
        await Connection.DisposeAsync();
    }
}
