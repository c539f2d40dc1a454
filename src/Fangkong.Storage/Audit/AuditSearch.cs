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

    /// <summary>How many checkpoints outside the database the chain was checked against.</summary>
    public int Checkpoints { get; init; }
}

/// <summary>One look at a person's record by someone else: when, through which channel, and the role and jurisdiction of the account (null for the operator at the server).</summary>
public sealed record RecordView(long At, string Channel, string? Role, string? Jurisdiction);

public static class AuditSearch
{
    /// <summary>
    /// Who looked at the record <paramref name="target"/> (e.g. <c>person:P0000014</c>), newest first,
    /// leaving out the person's own looks (<paramref name="self"/>), and how many looks there were.
    /// </summary>
    public static async Task<(List<RecordView> Rows, long Total)> ViewsOfAsync(Database db, string target, string self, int limit, CancellationToken ct = default)
    {
        var args = new { target, self, limit };
        await using var c = await db.OpenConnectionAsync(ct);
        const string Where = "WHERE l.target = @target AND l.action = 'person.view' AND l.actor <> @self";
        var total = await c.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT COUNT(*) FROM audit_log l {Where}", args, cancellationToken: ct));
        var rows = await c.QueryAsync<RecordView>(new CommandDefinition($"""
            SELECT l.at AS At, l.channel AS Channel, a.role AS Role, a.jurisdiction_code AS Jurisdiction
            FROM audit_log l LEFT JOIN accounts a ON a.username = l.actor {Where} ORDER BY l.seq DESC LIMIT @limit
            """, args, cancellationToken: ct));
        return (rows.ToList(), total);
    }

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

    /// <summary>
    /// Re-computes the whole chain in order and reports the first entry that does not fit; then checks
    /// the chain against the checkpoints kept outside the database (an entry that no longer matches its
    /// checkpoint: history rewritten and re-chained; a checkpoint past the last entry: the tail cut; a
    /// checkpoint whose MAC fails: forged), and that the triggers refusing changes are still there.
    /// </summary>
    public static async Task<AuditVerification> VerifyAsync(Database db, CancellationToken ct = default)
    {
        var (checkpoints, forged) = db.AuditAnchors.Read();
        // Each entry is compared with its checkpoint as the chain is recomputed, in the same single pass.
        var bySeq = checkpoints.GroupBy(k => k.Seq).ToDictionary(g => g.Key, g => g.ToList());
        var chain = await VerifyAsync(db, 0, AuditChain.Genesis, bySeq, ct);
        if (!chain.Intact)
        {
            return chain;
        }
        if (forged.Count > 0)
        {
            return chain with { BrokenAt = 0, Reason = $"line {forged[0]} of the checkpoint file {db.AuditAnchors.Path} does not verify with the key (forged or damaged)" };
        }
        if (checkpoints.Count > 0 && checkpoints.Max(k => k.Seq) is var last && last > chain.LastSeq)
        {
            return chain with { BrokenAt = chain.LastSeq + 1, Reason = $"entries after {chain.LastSeq} are gone: a checkpoint names entry {last} (the log's tail was cut)" };
        }
        await using var c = await db.OpenConnectionAsync(ct);
        var triggers = await c.QueryAsync<string>(new CommandDefinition(db.Provider == StoreProvider.Sqlite
            ? "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'"
            : "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_log'::regclass AND NOT tgisinternal", cancellationToken: ct));
        string[] expected = db.Provider == StoreProvider.Sqlite ? ["audit_log_no_update", "audit_log_no_delete"] : ["audit_log_no_change"];
        if (expected.Except(triggers, StringComparer.Ordinal).FirstOrDefault() is { } gone)
        {
            return chain with { BrokenAt = 0, Reason = $"the trigger {gone} that refuses changes to the log is gone" };
        }
        return chain with { Checkpoints = checkpoints.Count };
    }

    /// <summary>
    /// Re-computes the chain after entry <paramref name="afterSeq"/>, whose hash was <paramref name="afterHash"/>
    /// (verified earlier); <see cref="AuditVerification.Entries"/> counts the entries checked.
    /// </summary>
    public static Task<AuditVerification> VerifyAsync(Database db, long afterSeq, string afterHash, CancellationToken ct = default) =>
        VerifyAsync(db, afterSeq, afterHash, null, ct);

    private static async Task<AuditVerification> VerifyAsync(Database db, long afterSeq, string afterHash, IReadOnlyDictionary<long, List<AuditCheckpoint>>? checkpoints, CancellationToken ct)
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
                : checkpoints?.GetValueOrDefault(r.Seq)?.FirstOrDefault(k => k.Hash != r.Hash) is { } differs
                    ? $"it differs from its checkpoint of {DateTimeOffset.FromUnixTimeSeconds(differs.At):u} (history was rewritten and re-chained)"
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
