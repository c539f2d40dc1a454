using System.Text;
using Dapper;

namespace Fangkong.Storage.Audit;

/// <summary>What an auditor searches the log for; every part is optional. <paramref name="ScopePrefix"/> limits it to actors of one jurisdiction (empty: all).</summary>
public sealed record AuditFilter(string ScopePrefix = "", string? Actor = null, string? Action = null, string? Target = null, long? From = null, long? To = null);

/// <summary>The first entry whose hash does not match its content or its predecessor, if any.</summary>
public sealed record AuditVerification(long Entries, long? BrokenAt, string? Reason)
{
    public bool Intact => BrokenAt is null;

    /// <summary>The last entry verified and its hash (where a later, incremental check can continue).</summary>
    public long LastSeq { get; init; }

    public string? LastHash { get; init; }
}

public static class AuditSearch
{
    private const string Columns = "seq AS Seq, at AS At, actor AS Actor, action AS Action, target AS Target, detail AS Detail, source AS Source, scope AS Scope, prev_hash AS PrevHash, hash AS Hash, channel AS Channel";

    /// <summary>Newest first, <paramref name="limit"/> entries after skipping <paramref name="offset"/>, and the number that match.</summary>
    public static async Task<(List<AuditRecord> Rows, long Total)> FindAsync(Database db, AuditFilter f, int offset, int limit, CancellationToken ct = default)
    {
        var where = new StringBuilder("WHERE 1=1");
        if (f.ScopePrefix.Length > 0)
        {
            where.Append(" AND scope LIKE @ScopeLike");
        }
        if (!string.IsNullOrWhiteSpace(f.Actor))
        {
            where.Append(" AND actor = @Actor");
        }
        if (!string.IsNullOrWhiteSpace(f.Action))
        {
            where.Append(" AND action LIKE @ActionPrefix");
        }
        if (!string.IsNullOrWhiteSpace(f.Target))
        {
            where.Append(" AND target = @Target");
        }
        if (f.From is not null)
        {
            where.Append(" AND at >= @From");
        }
        if (f.To is not null)
        {
            where.Append(" AND at < @To");
        }
        var args = new { ScopeLike = f.ScopePrefix + "%", f.Actor, ActionPrefix = f.Action + "%", f.Target, f.From, f.To, offset, limit };
        await using var c = await db.OpenConnectionAsync(ct);
        var total = await c.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT COUNT(*) FROM audit_log {where}", args, cancellationToken: ct));
        var rows = await c.QueryAsync<AuditRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM audit_log {where} ORDER BY seq DESC LIMIT @limit OFFSET @offset", args, cancellationToken: ct));
        return (rows.ToList(), total);
    }

    /// <summary>Re-computes the whole chain in order and reports the first entry that does not fit.</summary>
    public static Task<AuditVerification> VerifyAsync(Database db, CancellationToken ct = default) => VerifyAsync(db, 0, AuditChain.Genesis, ct);

    /// <summary>
    /// Re-computes the chain after entry <paramref name="afterSeq"/>, whose hash was <paramref name="afterHash"/>
    /// (verified earlier); <see cref="AuditVerification.Entries"/> counts the entries checked.
    /// </summary>
    public static async Task<AuditVerification> VerifyAsync(Database db, long afterSeq, string afterHash, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var prev = afterHash;
        long expected = afterSeq + 1, count = 0;
        await using var reader = await c.ExecuteReaderAsync(new CommandDefinition($"SELECT {Columns} FROM audit_log WHERE seq > @afterSeq ORDER BY seq", new { afterSeq }, cancellationToken: ct));
        var parse = reader.GetRowParser<AuditRecord>();
        while (await reader.ReadAsync(ct))
        {
            var r = parse(reader);
            count++;
            string? reason = r.Seq != expected ? $"entry {expected} is missing"
                : r.PrevHash != prev ? "its previous hash does not match the entry before it"
                : AuditChain.HashOf(r) != r.Hash ? "its content does not match its hash"
                : null;
            if (reason is not null)
            {
                return new AuditVerification(count, r.Seq, reason);
            }
            prev = r.Hash;
            expected++;
        }
        return new AuditVerification(count, null, null) { LastSeq = expected - 1, LastHash = prev };
    }
}
