using System.Data.Common;
using Dapper;

namespace Fangkong.Storage.Checkins;

/// <summary>
/// What one append switched in: the rows it added (duplicates of stored rows left out), and the store's
/// version of that kind of stays before and after. Raised by the writer while it still holds the
/// kind's write lock, so a process sees its own appends in version order.
/// </summary>
public sealed record StaysAppended(StayKind Kind, long VersionBefore, long VersionAfter, IReadOnlyList<CheckinRow> Rows);

/// <summary>
/// The version of each kind of stays, raised in the same transaction as every append and every drop of
/// days: whoever keeps stays in memory compares it with the version it has seen to know whether another
/// writer (another process) changed them. In-process appends are also announced with their rows.
/// </summary>
public sealed class StayChanges
{
    /// <summary>Raised after an append in this process committed, before its write lock is released.</summary>
    public event Action<StaysAppended>? Appended;

    /// <summary>Whether anyone listens (a writer collects the added rows only then).</summary>
    internal bool Listening => Appended is not null;

    internal void Announce(StaysAppended change) => Appended?.Invoke(change);

    /// <summary>The stored version of a kind of stays (0: never written).</summary>
    public static async Task<long> VersionAsync(Database db, StayKind kind, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return await c.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT version FROM stay_versions WHERE kind = @kind", new { kind = kind.Name }, cancellationToken: ct)) ?? 0;
    }

    /// <summary>Raises the version inside the writer's transaction; returns the new one.</summary>
    internal static Task<long> BumpAsync(DbConnection c, DbTransaction tx, StayKind kind) =>
        c.ExecuteScalarAsync<long>(new CommandDefinition(
            "INSERT INTO stay_versions (kind, version) VALUES (@kind, 1) ON CONFLICT (kind) DO UPDATE SET version = stay_versions.version + 1 RETURNING version",
            new { kind = kind.Name }, tx, cancellationToken: CancellationToken.None));
}
