using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Dapper;
using Fangkong.Jurisdictions;
using Fangkong.Policies;
using Fangkong.Staff;
using Fangkong.Storage;
using Fangkong.Storage.Accounts;
using Fangkong.Web;
using Fangkong.Application.Accounts;

namespace Fangkong.Cli.Bench;

/// <summary>One scenario's result: requests, errors, throughput, client latency percentiles and the server's own time (Server-Timing) at the 95th percentile.</summary>
internal sealed record WebMeasurement(string Scenario, int Users, long Requests, long Errors, double Seconds, double P50, double P95, double P99, double ServerP95)
{
    public double PerSecond => Requests / Seconds;
}

/// <summary>
/// Load on the command centre from a generator on 127.0.0.1, in the same run: a static file (the
/// framework's ceiling, a baseline), the dashboard and each list page under N signed-in users, and API
/// reads with tokens. Client latency includes the generator's own time on the same 2 cores; the server
/// time comes from the app's Server-Timing header.
/// </summary>
internal static partial class WebBenchmark
{
    public static async Task<List<WebMeasurement>> RunAsync(Database db, PolicyProfile policy, int users, TimeSpan duration, CancellationToken ct)
    {
        var (county, contactKey, outsideKey) = await PickAsync(db, ct);
        var password = "bench-" + Guid.NewGuid().ToString("N");
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var commander = await AccountRepository.AddAsync(db, "bench-commander-" + suffix, "压测指挥", StaffRole.Commander, JurisdictionCode.Parse(NingxiaReference.RegionCode), null, Passwords.Hash(password), db.Now, ct);
        var officer = await AccountRepository.AddAsync(db, "bench-control-" + suffix, "压测转运", StaffRole.ControlOfficer, JurisdictionCode.Parse(county), null, Passwords.Hash(password), db.Now, ct);
        var now = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        var (_, token) = await ApiTokenRepository.CreateAsync(db, officer, "bench", TokenScope.Write, now + 86400, now, ct: ct);

        await db.AnalyzeAsync(ct);
        await using var app = CommandCentre.Build(db, new CommandCentreOptions("http://127.0.0.1:0", policy, SignInAttemptsPerMinute: 1_000_000, RetentionEvery: TimeSpan.Zero));
        await app.StartAsync(ct);
        var address = new Uri(CommandCentre.Addresses(app)[0]);
        System.Console.WriteLine($"serving {address} for the load; {users} users, {duration.TotalSeconds:F0} s per scenario");

        var sessions = new List<HttpClient>();
        for (var i = 0; i < users; i++)
        {
            sessions.Add(await SignInAsync(address, i % 2 == 0 ? "bench-commander-" + suffix : "bench-control-" + suffix, password, ct));
        }
        var api = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = users, UseCookies = false }) { BaseAddress = address };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var results = new List<WebMeasurement>
        {
            await LoadAsync("baseline: static file /assets/css/site.css", sessions, _ => "/assets/css/site.css", duration, ct),
            await LoadAsync("dashboard /", sessions, _ => "/", duration, ct),
            await LoadAsync("case list /cases", sessions, _ => "/cases", duration, ct),
            await LoadAsync("contact list /contacts", sessions, _ => "/contacts", duration, ct),
            await LoadAsync("task board /tasks?view=open", sessions, _ => "/tasks?view=open", duration, ct),
            await LoadAsync("loop at a glance /control", sessions, _ => "/control", duration, ct),
            await LoadAsync("quarantine sites /sites", sessions, _ => "/sites", duration, ct),
            await LoadAsync("API GET /api/v1/me (token)", [.. Enumerable.Repeat(api, users)], _ => "/api/v1/me", duration, ct),
            await LoadAsync("API GET /api/v1/dashboard (token)", [.. Enumerable.Repeat(api, users)], _ => "/api/v1/dashboard", duration, ct),
            await LoadAsync("API GET /api/v1/contacts?size=20 (token)", [.. Enumerable.Repeat(api, users)], _ => "/api/v1/contacts?size=20", duration, ct),
            await LoadAsync($"API GET /api/v1/control/{contactKey} (token)", [.. Enumerable.Repeat(api, users)], _ => $"/api/v1/control/{contactKey}", duration, ct),
            await LoadAsync("API GET /api/v1/cases?size=20 (token)", [.. Enumerable.Repeat(api, users)], _ => "/api/v1/cases?size=20", duration, ct),
            // The answer for a record outside the caller's county and for a key that names nobody: both 404, in the same time.
            await LoadAsync($"API GET /api/v1/control/{outsideKey}, outside the county (404)", [.. Enumerable.Repeat(api, users)], _ => $"/api/v1/control/{outsideKey}", duration, ct, HttpStatusCode.NotFound),
            await LoadAsync("API GET /api/v1/control/PX…, no such person (404)", [.. Enumerable.Repeat(api, users)], i => $"/api/v1/control/PX{i}", duration, ct, HttpStatusCode.NotFound),
        };
        await app.StopAsync(ct);
        sessions.ForEach(s => s.Dispose());
        api.Dispose();
        return results;
    }

    private static async Task<(string County, string ContactKey, string OutsideKey)> PickAsync(Database db, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var county = await c.ExecuteScalarAsync<string>(new CommandDefinition(
            "SELECT SUBSTR(p.community_code, 1, 6) FROM cases k JOIN persons p ON p.id = k.person_id GROUP BY SUBSTR(p.community_code, 1, 6) ORDER BY COUNT(*) DESC LIMIT 1", cancellationToken: ct))
            ?? throw new InvalidOperationException("the store has no cases: run 'fangkong demo' first");
        var key = await c.ExecuteScalarAsync<string>(new CommandDefinition(
            "SELECT p.person_key FROM control_orders o JOIN persons p ON p.id = o.person_id WHERE o.active = 1 AND p.community_code LIKE @like ORDER BY o.id LIMIT 1",
            new { like = county + "%" }, cancellationToken: ct)) ?? throw new InvalidOperationException("the store has no control orders");
        var outside = await c.ExecuteScalarAsync<string>(new CommandDefinition(
            "SELECT p.person_key FROM control_orders o JOIN persons p ON p.id = o.person_id WHERE o.active = 1 AND p.community_code NOT LIKE @like ORDER BY o.id LIMIT 1",
            new { like = county + "%" }, cancellationToken: ct)) ?? throw new InvalidOperationException("the store has no control orders outside the busiest county");
        return (county, key, outside);
    }

    internal static async Task<HttpClient> SignInAsync(Uri address, string user, string password, CancellationToken ct)
    {
        var http = new HttpClient(new SocketsHttpHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false, MaxConnectionsPerServer = 1 }) { BaseAddress = address };
        var page = await http.GetStringAsync("/signin", ct);
        var token = Token().Match(page).Groups[1].Value;
        var response = await http.PostAsync("/signin", new FormUrlEncodedContent([new("username", user), new("password", password), new("__RequestVerificationToken", token)]), ct);
        return response.StatusCode == HttpStatusCode.Redirect ? http : throw new InvalidOperationException($"bench sign-in failed: {(int)response.StatusCode}");
    }

    /// <param name="expect">The answer each request should get (anything else counts as an error).</param>
    private static async Task<WebMeasurement> LoadAsync(string scenario, List<HttpClient> clients, Func<int, string> url, TimeSpan duration, CancellationToken ct, HttpStatusCode expect = HttpStatusCode.OK)
    {
        // A short warm-up (JIT, caches), then the measured window.
        await RunAsync(clients, url, TimeSpan.FromSeconds(2), expect, ct);
        var watch = Stopwatch.StartNew();
        var (latencies, server, errors) = await RunAsync(clients, url, duration, expect, ct);
        var seconds = watch.Elapsed.TotalSeconds;
        latencies.Sort();
        server.Sort();
        var m = new WebMeasurement(scenario, clients.Count, latencies.Count, errors, seconds, Pct(latencies, 0.50), Pct(latencies, 0.95), Pct(latencies, 0.99), Pct(server, 0.95));
        System.Console.WriteLine($"  {m.Scenario}: {m.PerSecond:N0}/s, p50 {m.P50:F1} ms, p95 {m.P95:F1} ms, p99 {m.P99:F1} ms, server p95 {m.ServerP95:F1} ms, {m.Errors} errors");
        return m;
    }

    private static async Task<(List<double> Latencies, List<double> Server, long Errors)> RunAsync(List<HttpClient> clients, Func<int, string> url, TimeSpan duration, HttpStatusCode expect, CancellationToken ct)
    {
        var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var perUser = await Task.WhenAll(clients.Select((client, user) => Task.Run(async () =>
        {
            var lat = new List<double>();
            var srv = new List<double>();
            long errors = 0;
            var i = 0;
            while (Stopwatch.GetTimestamp() < end)
            {
                var start = Stopwatch.GetTimestamp();
                using var response = await client.GetAsync(url(user * 1_000_003 + i++), HttpCompletionOption.ResponseContentRead, ct);
                lat.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                if (response.StatusCode != expect)
                {
                    errors++;
                }
                if (response.Headers.TryGetValues("Server-Timing", out var values) && values.FirstOrDefault() is { } v
                    && double.TryParse(v.AsSpan(v.IndexOf('=', StringComparison.Ordinal) + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var ms))
                {
                    srv.Add(ms);
                }
            }
            return (lat, srv, errors);
        }, ct)));
        return ([.. perUser.SelectMany(p => p.lat)], [.. perUser.SelectMany(p => p.srv)], perUser.Sum(p => p.errors));
    }

    private static double Pct(List<double> sorted, double q) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)(q * sorted.Count))];

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    internal static partial Regex Token();
}
