using System.Net;
using Dapper;
using System.Text.RegularExpressions;
using Fangkong.Policies;
using Fangkong.Storage;
using Fangkong.Tests.Support;
using Fangkong.Web;
using Microsoft.AspNetCore.Builder;

namespace Fangkong.Tests.Web;

/// <summary>
/// A running command centre for web tests: a 3,000-person demo (its outbreak traced and one day of
/// the loop run) on a fresh store, the demo's account per role with a known password, an investigator
/// of another county, and the app on real Kestrel at 127.0.0.1 on a free port.
/// </summary>
public abstract partial class CommandCentreFixture : IAsyncLifetime
{
    public const string Password = "Test-passw0rd-2021";

    /// <summary>The demo's accounts (one per role) and an investigator outside the demo's county.</summary>
    public static readonly IReadOnlyList<string> Roles = ["commander", "investigator", "control", "testing", "community", "checkpoint", "venue", "auditor", "resident"];

    public const string Outsider = "outsider";

    public const string TestSite = "Q-TEST";

    private WebApplication? _app;

    protected abstract StoreProvider Provider { get; }

    public TestStore Store { get; private set; } = null!;

    public Database Db { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The county the demo's scoped accounts work in, and one they do not.</summary>
    public string HomeCounty { get; private set; } = "";

    public string OtherCounty { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Store = await TestStore.CreateAsync(Provider);
        // The outbreak found late (one trace of every case on the last day) by short-handed field teams: a backlog of work for every role.
        var (code, output, err) = await Support.Cli.RunAsync("--db", Store.DbArgument, "demo", "--people", "3000", "--no-serve", "--found-late", "--field-capacity", "20", "--simulate-days", "1");
        Assert.True(code == 0, err + output);
        HomeCounty = Regex.Match(output, @"investigator\s+\S+\s+investigator\s+(\d{6})").Groups[1].Value;
        Assert.Matches("^64\\d{4}$", HomeCounty);
        await using (var db = await Store.OpenAsync())
        {
            await using var c = await db.OpenConnectionAsync();
            // A county where some of the outbreak's close contacts live, other than the demo accounts' county.
            OtherCounty = await c.ExecuteScalarAsync<string>(
                "SELECT MIN(SUBSTR(p.community_code, 1, 6)) FROM contacts k JOIN persons p ON p.id = k.person_id WHERE k.tier = 'close' AND p.community_code NOT LIKE @home",
                new { home = HomeCounty + "%" }) ?? throw new InvalidOperationException("the demo has no close contact outside its busiest county");
        }
        // A suspected case in the other county (recorded, not traced), so that write paths on cases have a record outside.
        string outsidePerson, onset;
        await using (var db = await Store.OpenAsync())
        {
            await using var c = await db.OpenConnectionAsync();
            outsidePerson = await c.QueryFirstAsync<string>(
                "SELECT p.person_key FROM persons p WHERE p.community_code LIKE @other AND NOT EXISTS (SELECT 1 FROM cases k WHERE k.person_id = p.id) ORDER BY p.person_key",
                new { other = OtherCounty + "%" });
            onset = await c.QueryFirstAsync<string>("SELECT MAX(onset_date) FROM cases");
        }
        await OkAsync("case", "add", outsidePerson, "--classification", "suspected", "--onset", onset);
        foreach (var user in Roles)
        {
            await OkAsync("admin", "reset-password", user, "--password", Password);
        }
        // Free rooms in the demo county (the demo's own sites are full after its first day).
        await OkAsync("site", "add", TestSite, "--name", "测试集中隔离点", "--county", HomeCounty, "--rooms", "101-160", "--household-rooms", "201-220");
        await OkAsync("admin", "create-user", Outsider, "--name", "外县流调队员", "--role", "investigator", "--jurisdiction", OtherCounty, "--password", Password);
        Db = await Store.OpenAsync();
        _app = CommandCentre.Build(Db, new CommandCentreOptions("http://127.0.0.1:0", PolicyCatalog.Load().Get("cn-v8-2021"), SignInAttemptsPerMinute: 10_000, RetentionEvery: TimeSpan.Zero));
        await _app.StartAsync();
        BaseAddress = new Uri(CommandCentre.Addresses(_app)[0]);
    }

    private async Task OkAsync(params string[] args)
    {
        var (code, output, err) = await Support.Cli.RunAsync(["--db", Store.DbArgument, .. args]);
        Assert.True(code == 0, $"{string.Join(' ', args)}: {err}{output}");
    }

    /// <summary>
    /// The <paramref name="nth"/> close contact under control in the demo county (by key, last first).
    /// Tests that change an order each take their own <paramref name="nth"/>, so that they never meet.
    /// </summary>
    public async Task<string> UnderControlAsync(int nth)
    {
        await using var c = await Db.OpenConnectionAsync();
        return await c.QuerySingleAsync<string>("""
            SELECT p.person_key FROM control_orders o JOIN persons p ON p.id = o.person_id
            WHERE o.active = 1 AND o.status = 'under_control' AND o.grp = 'close' AND p.community_code LIKE @home
            ORDER BY p.person_key DESC LIMIT 1 OFFSET @nth
            """, new { home = HomeCounty + "%", nth });
    }

    /// <summary>A client with its own cookie jar, not following redirects (tests look at them).</summary>
    public WebClient Client() => new(BaseAddress);

    /// <summary>A client signed in as <paramref name="user"/>.</summary>
    /// <summary>Waits until the server has traced every change asked for (it traces behind the answer); fails after two minutes.</summary>
    public async Task TracedAsync()
    {
        for (var watch = System.Diagnostics.Stopwatch.StartNew(); (await global::Fangkong.Storage.Tracing.TraceRequests.StateAsync(Db)).Pending; await Task.Delay(50))
        {
            Assert.True(watch.Elapsed < TimeSpan.FromMinutes(2), "the server's re-trace did not finish within two minutes");
        }
    }

    public async Task<WebClient> SignedInAsync(string user)
    {
        var client = Client();
        var response = await client.SignInAsync(user, Password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        await Db.DisposeAsync();
        await Store.DisposeAsync();
    }
}

public sealed class SqliteCentre : CommandCentreFixture
{
    protected override StoreProvider Provider => StoreProvider.Sqlite;
}

public sealed class PostgresCentre : CommandCentreFixture
{
    protected override StoreProvider Provider => StoreProvider.Postgres;
}

[CollectionDefinition(nameof(SqliteCentreCollection))]
public sealed class SqliteCentreCollection : ICollectionFixture<SqliteCentre>, ICollectionFixture<Browser>;

[CollectionDefinition(nameof(PostgresCentreCollection))]
public sealed class PostgresCentreCollection : ICollectionFixture<PostgresCentre>;
