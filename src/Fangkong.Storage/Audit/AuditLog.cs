using System.Threading.Channels;
using Dapper;

namespace Fangkong.Storage.Audit;

/// <summary>
/// The append-only audit log of a store. Appends are group-committed: callers wait until their
/// entry is durable, while one writer chains and inserts everything that queued up meanwhile in one
/// transaction. The chain stays whole across processes (the CLI beside a server): each batch takes
/// the store's write lock (SQLite's immediate transaction, a PostgreSQL advisory lock) and reads the
/// last hash inside it. Triggers refuse UPDATE and DELETE on the table.
/// </summary>
public sealed class AuditLog : IAsyncDisposable
{
    private const long AdvisoryLock = 0x46414E47_4155_44; // "FANG" "AU" "D"
    private const int MaxBatch = 512;

    private readonly Database _db;
    private readonly Channel<(AuditEntry Entry, TaskCompletionSource Done)> _queue =
        Channel.CreateUnbounded<(AuditEntry, TaskCompletionSource)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;

    public AuditLog(Database db)
    {
        _db = db;
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Appends an entry; completes when it is committed.</summary>
    public Task AppendAsync(AuditEntry entry)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite((entry, done)))
        {
            throw new InvalidOperationException("The audit log is closed.");
        }
        return done.Task;
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<(AuditEntry Entry, TaskCompletionSource Done)>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }
            try
            {
                await WriteAsync(_db, batch.Select(b => b.Entry).ToList(), CancellationToken.None);
                batch.ForEach(b => b.Done.TrySetResult());
            }
            catch (Exception e)
            {
                batch.ForEach(b => b.Done.TrySetException(e));
            }
            batch.Clear();
        }
    }

    /// <summary>Chains and inserts <paramref name="entries"/> in one transaction (used directly by one-shot commands).</summary>
    public static async Task WriteAsync(Database db, IReadOnlyList<AuditEntry> entries, CancellationToken ct)
    {
        if (entries.Count == 0)
        {
            return;
        }
        await using var s = await StoreSession.BeginAsync(db, ct);
        if (db.Provider == StoreProvider.Postgres)
        {
            await s.Connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(@AdvisoryLock)", new { AdvisoryLock }, s.Transaction, cancellationToken: ct));
        }
        var last = (await s.Connection.QueryAsync<(long Seq, string Hash)>(new CommandDefinition(
            "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", transaction: s.Transaction, cancellationToken: ct))).FirstOrDefault();
        var (seq, hash) = last.Hash is null ? (0L, AuditChain.Genesis) : last;
        var rows = new List<AuditRecord>(entries.Count);
        foreach (var e in entries)
        {
            seq++;
            var next = AuditChain.HashOf(hash, seq, e);
            rows.Add(new AuditRecord(seq, e.At, e.Actor, e.Action, e.Target, e.Detail, e.Source, e.Scope, hash, next, e.Channel));
            hash = next;
        }
        await s.Connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO audit_log (seq, at, actor, action, target, detail, source, scope, prev_hash, hash, channel) VALUES (@Seq, @At, @Actor, @Action, @Target, @Detail, @Source, @Scope, @PrevHash, @Hash, @Channel)",
            rows, s.Transaction, cancellationToken: ct));
        await s.CommitAsync(ct);
        // The checkpoint outside the database, once the entries are durable.
        db.AuditAnchors.Append(seq, hash, entries[^1].At);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer;
    }
}
