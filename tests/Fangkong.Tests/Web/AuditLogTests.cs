using Dapper;
using Fangkong.Storage;
using Fangkong.Storage.Audit;
using Fangkong.Tests.Support;

namespace Fangkong.Tests.Web;

/// <summary>The audit log is append-only and hash-chained, on both stores: concurrent appends chain without gaps, the store refuses changes, and a change made behind its back is found.</summary>
public sealed class AuditLogTests
{
    public static IEnumerable<object[]> Providers => TestStore.Providers;

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ConcurrentAppends_FormOneUnbrokenChain(StoreProvider provider)
    {
        await using var store = await TestStore.CreateAsync(provider);
        await using var db = await store.OpenAsync();
        await using (var log = new AuditLog(db))
        {
            var writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
            {
                for (var i = 0; i < 50; i++)
                {
                    await log.AppendAsync(new AuditEntry(1_700_000_000 + i, $"user{w}", "person.view", $"person:P{w:00}{i:000}", "", "127.0.0.1", "640104"));
                }
            }));
            await Task.WhenAll(writers);
        }
        // A one-shot writer (the command line) continues the same chain.
        await AuditLog.WriteAsync(db, [new AuditEntry(1_700_000_999, "cli:operator", "account.create", "account:x", "", "cli")], CancellationToken.None);

        var verification = await AuditSearch.VerifyAsync(db);
        Assert.True(verification.Intact, verification.Reason);
        Assert.Equal(401, verification.Entries);
        await using var c = await db.OpenConnectionAsync();
        Assert.Equal(401L, await c.ExecuteScalarAsync<long>("SELECT MAX(seq) FROM audit_log"));
        Assert.Equal(AuditChain.Genesis, await c.ExecuteScalarAsync<string>("SELECT prev_hash FROM audit_log WHERE seq = 1"));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task TheStoreRefusesUpdatesAndDeletes_AndATamperedEntryIsFound(StoreProvider provider)
    {
        await using var store = await TestStore.CreateAsync(provider);
        await using var db = await store.OpenAsync();
        var entries = Enumerable.Range(1, 10).Select(i => new AuditEntry(1_700_000_000 + i, "investigator", "person.view", $"person:P{i}", "", "10.0.0.1", "640104")).ToList();
        await AuditLog.WriteAsync(db, entries, CancellationToken.None);
        await using var c = await db.OpenConnectionAsync();

        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => c.ExecuteAsync("UPDATE audit_log SET actor = 'someone else' WHERE seq = 4"));
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => c.ExecuteAsync("DELETE FROM audit_log WHERE seq = 4"));
        Assert.True((await AuditSearch.VerifyAsync(db)).Intact);

        // Someone with the database owner's rights drops the guard and rewrites history.
        await c.ExecuteAsync(provider == StoreProvider.Sqlite ? "DROP TRIGGER audit_log_no_update" : "DROP TRIGGER audit_log_no_change ON audit_log");
        await c.ExecuteAsync("UPDATE audit_log SET target = 'person:P999' WHERE seq = 6");
        var verification = await AuditSearch.VerifyAsync(db);
        Assert.False(verification.Intact);
        Assert.Equal(6, verification.BrokenAt);
        Assert.Contains("content", verification.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ARemovedEntry_IsFound(StoreProvider provider)
    {
        await using var store = await TestStore.CreateAsync(provider);
        await using var db = await store.OpenAsync();
        await AuditLog.WriteAsync(db, Enumerable.Range(1, 5).Select(i => new AuditEntry(i, "a", "export", "list:cases", "", "cli")).ToList(), CancellationToken.None);
        await using var c = await db.OpenConnectionAsync();
        await c.ExecuteAsync(provider == StoreProvider.Sqlite ? "DROP TRIGGER audit_log_no_delete" : "DROP TRIGGER audit_log_no_change ON audit_log");
        await c.ExecuteAsync("DELETE FROM audit_log WHERE seq = 3");
        var verification = await AuditSearch.VerifyAsync(db);
        Assert.Equal(4, verification.BrokenAt);
        Assert.Contains("entry 3 is missing", verification.Reason, StringComparison.Ordinal);
    }

    private static async Task<Database> TwoBatchesAsync(TestStore store)
    {
        var db = await store.OpenAsync();
        await AuditLog.WriteAsync(db, Enumerable.Range(1, 10).Select(i => new AuditEntry(1_700_000_000 + i, "investigator", i == 4 ? "access.denied" : "person.view", $"person:P{i}", "", "10.0.0.1", "640104")).ToList(), CancellationToken.None);
        await AuditLog.WriteAsync(db, Enumerable.Range(11, 5).Select(i => new AuditEntry(1_700_000_000 + i, "investigator", "person.view", $"person:P{i}", "", "10.0.0.1", "640104")).ToList(), CancellationToken.None);
        return db;
    }

    private static string DropGuards(StoreProvider provider) =>
        provider == StoreProvider.Sqlite ? "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete" : "DROP TRIGGER audit_log_no_change ON audit_log";

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ACutTail_IsFound_ByTheCheckpointsOutsideTheDatabase(StoreProvider provider)
    {
        await using var store = await TestStore.CreateAsync(provider);
        await using var db = await TwoBatchesAsync(store);
        var intact = await AuditSearch.VerifyAsync(db);
        Assert.True(intact.Intact, intact.Reason);
        Assert.Equal(2, intact.Checkpoints);
        await using var c = await db.OpenConnectionAsync();
        await c.ExecuteAsync(DropGuards(provider));
        await c.ExecuteAsync("DELETE FROM audit_log WHERE seq > 12");

        var v = await AuditSearch.VerifyAsync(db);
        Assert.Equal(13, v.BrokenAt);
        Assert.Contains("tail was cut", v.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ADeletedEntry_WithTheRestReChained_IsFound(StoreProvider provider)
    {
        await using var store = await TestStore.CreateAsync(provider);
        await using var db = await TwoBatchesAsync(store);
        await using var c = await db.OpenConnectionAsync();
        await c.ExecuteAsync(DropGuards(provider));
        // Remove the access.denied entry and re-chain everything after it, as someone holding the file but not the key would.
        var kept = (await c.QueryAsync<AuditRecord>("SELECT seq AS Seq, at AS At, actor AS Actor, action AS Action, target AS Target, detail AS Detail, source AS Source, scope AS Scope, prev_hash AS PrevHash, hash AS Hash, channel AS Channel FROM audit_log ORDER BY seq"))
            .Where(r => r.Action != "access.denied").ToList();
        await c.ExecuteAsync("DELETE FROM audit_log");
        var prev = AuditChain.Genesis;
        for (var i = 0; i < kept.Count; i++)
        {
            var r = kept[i];
            var hash = AuditChain.HashOf(prev, i + 1, new AuditEntry(r.At, r.Actor, r.Action, r.Target, r.Detail, r.Source, r.Scope, r.Channel));
            await c.ExecuteAsync("INSERT INTO audit_log (seq, at, actor, action, target, detail, source, scope, prev_hash, hash, channel) VALUES (@Seq, @At, @Actor, @Action, @Target, @Detail, @Source, @Scope, @PrevHash, @Hash, @Channel)",
                r with { Seq = i + 1, PrevHash = prev, Hash = hash });
            prev = hash;
        }
        await c.ExecuteAsync(provider == StoreProvider.Sqlite
            ? "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'x'); END; CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'x'); END"
            : "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()");
        Assert.True((await AuditSearch.VerifyAsync(db, 0, AuditChain.Genesis)).Intact);   // the chain alone looks whole

        var v = await AuditSearch.VerifyAsync(db);
        Assert.Equal(10, v.BrokenAt);
        Assert.Contains("rewritten", v.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task RemovedTriggers_AndAForgedCheckpoint_AreFound(StoreProvider provider)
    {
        await using var store = await TestStore.CreateAsync(provider);
        await using var db = await TwoBatchesAsync(store);
        await using (var c = await db.OpenConnectionAsync())
        {
            await c.ExecuteAsync(DropGuards(provider));
        }
        var v = await AuditSearch.VerifyAsync(db);
        Assert.False(v.Intact);
        Assert.Contains("trigger", v.Reason, StringComparison.Ordinal);

        await File.AppendAllTextAsync(db.AuditAnchors.Path, "99 " + new string('a', 64) + " 1700000099 " + new string('b', 64) + "\n");
        var forged = await AuditSearch.VerifyAsync(db);
        Assert.Contains("does not verify with the key", forged.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheScreensWatch_ChecksNewEntriesEachTime_AndEverythingWhenAsked()
    {
        await using var store = await TestStore.CreateAsync(StoreProvider.Sqlite);
        await using var db = await store.OpenAsync();
        using var watch = new Fangkong.Web.Audit.AuditChainWatch(db);
        await AuditLog.WriteAsync(db, Enumerable.Range(1, 5).Select(i => new AuditEntry(i, "a", "person.view", $"person:{i}", "", "cli")).ToList(), CancellationToken.None);
        Assert.Equal(5, (await watch.CheckAsync(full: false, CancellationToken.None)).Entries);

        await using var c = await db.OpenConnectionAsync();
        await c.ExecuteAsync("DROP TRIGGER audit_log_no_update");
        await c.ExecuteAsync("UPDATE audit_log SET actor = 'b' WHERE seq = 2");
        await AuditLog.WriteAsync(db, [new AuditEntry(6, "a", "export", "list:cases", "", "cli")], CancellationToken.None);
        // Only the new entry is checked, and it follows the last verified hash.
        var incremental = await watch.CheckAsync(full: false, CancellationToken.None);
        Assert.True(incremental.Intact);
        Assert.Equal(6, incremental.Entries);
        var full = await watch.CheckAsync(full: true, CancellationToken.None);
        Assert.Equal(2, full.BrokenAt);

        // A new entry that does not follow the chain is caught at once.
        await c.ExecuteAsync("UPDATE audit_log SET prev_hash = 'x' WHERE seq = 6");
        await using var fresh = await store.OpenAsync();
        using var watch2 = new Fangkong.Web.Audit.AuditChainWatch(fresh);
        Assert.Equal(2, (await watch2.CheckAsync(full: false, CancellationToken.None)).BrokenAt);
    }

    [Fact]
    public void TheHash_CoversEveryField()
    {
        var e = new AuditEntry(1, "a", "b", "c", "d", "e", "f");
        var h = AuditChain.HashOf(AuditChain.Genesis, 1, e);
        Assert.NotEqual(h, AuditChain.HashOf(AuditChain.Genesis, 2, e));
        Assert.NotEqual(h, AuditChain.HashOf(AuditChain.Genesis, 1, e with { At = 2 }));
        foreach (var changed in new[] { e with { Actor = "x" }, e with { Action = "x" }, e with { Target = "x" }, e with { Detail = "x" }, e with { Source = "x" }, e with { Scope = "x" } })
        {
            Assert.NotEqual(h, AuditChain.HashOf(AuditChain.Genesis, 1, changed));
        }
        // Fields cannot bleed into one another.
        Assert.NotEqual(AuditChain.HashOf(AuditChain.Genesis, 1, e with { Actor = "ab", Action = "c" }), AuditChain.HashOf(AuditChain.Genesis, 1, e with { Actor = "a", Action = "bc" }));
    }
}
