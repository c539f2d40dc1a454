using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Fangkong.Jurisdictions;
using Fangkong.Policies;
using Fangkong.Staff;
using Fangkong.Storage;
using Fangkong.Storage.Accounts;
using Fangkong.Storage.Cases;
using Fangkong.Storage.Checkins;
using Fangkong.Storage.People;
using Fangkong.Storage.Tracing;
using Fangkong.Tracing;
using Fangkong.Web;
using Fangkong.Application.Accounts;
using Microsoft.Extensions.DependencyInjection;

namespace Fangkong.Cli.Bench;

/// <summary>One case confirmed in the browser: the form's answer, the case page after it, the API's answer, and what they listed.</summary>
internal sealed record ConfirmedCase(string Key, double PostMs, double PageMs, double PageServerMs, double ApiMs, bool Retracing, long Close, long Secondary);

internal sealed record ConfirmMeasurement(
    long Checkins, double WarmSeconds, double IndexMegabytes, double WorkingSetMegabytes,
    IReadOnlyList<ConfirmedCase> Cases, double FromStoreSeconds, double BehindSeconds, bool CloseAgree);

/// <summary>
/// Confirming cases in the browser at scale (the live index in the server): the command centre runs in
/// this process on the store given, reads the stays into memory as <c>serve</c> does, and N people seen
/// on the last day are recorded as confirmed cases through the new-case form, one after another. Each
/// confirmation is timed from the form's POST to its case page listing the contacts, and through the API.
/// Baselines in the same run: the same case traced alone with the days read from the store (no index in
/// memory), and the full re-trace with its orders that runs behind the answers (what a confirmation
/// waited for before). The store is changed: run it on a copy of a demo store.
/// </summary>
internal static class ConfirmBenchmark
{
    public static async Task<ConfirmMeasurement> RunAsync(Database db, PolicyProfile policy, int count, int seed, CancellationToken ct)
    {
        var people = await PickAsync(db, count, seed, ct);
        var password = "bench-" + Guid.NewGuid().ToString("N");
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var investigator = await AccountRepository.AddAsync(db, "bench-investigator-" + suffix, "压测流调", StaffRole.Investigator, JurisdictionCode.Parse(NingxiaReference.RegionCode), null, Passwords.Hash(password), db.Now, ct);
        var now = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        var (_, token) = await ApiTokenRepository.CreateAsync(db, investigator, "bench", TokenScope.Read, now + 86400, now, ct: ct);

        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var warm = Stopwatch.StartNew();
        await using var app = CommandCentre.Build(db, new CommandCentreOptions("http://127.0.0.1:0", policy, SignInAttemptsPerMinute: 1_000_000, RetentionEvery: TimeSpan.Zero));
        await app.StartAsync(ct);
        var live = app.Services.GetRequiredService<LiveStays>();
        // The server reads the stays into memory when it starts (TraceWorker): wait for it as a user would wait for the log line.
        while (live.Reads(StayKind.Checkins) == 0 || live.Reads(StayKind.GridStays) == 0)
        {
            await Task.Delay(50, ct);
        }
        var warmSeconds = warm.Elapsed.TotalSeconds;
        var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
        var workingSet = Process.GetCurrentProcess().WorkingSet64;
        var address = new Uri(CommandCentre.Addresses(app)[0]);
        System.Console.WriteLine($"  {live.Count(StayKind.Checkins):N0} check-ins and {live.Count(StayKind.GridStays):N0} grid stays in memory in {warmSeconds:F1} s " +
                                 $"({(heapAfter - heapBefore) / 1e6:N0} MB of heap; process {workingSet / 1e6:N0} MB)");

        using var browser = await WebBenchmark.SignInAsync(address, "bench-investigator-" + suffix, password, ct);
        using var api = new HttpClient { BaseAddress = address };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var first = await TraceRequests.StateAsync(db, ct);
        var behind = Stopwatch.StartNew();
        var confirmed = new List<ConfirmedCase>();
        foreach (var (id, key) in people)
        {
            confirmed.Add(await ConfirmAsync(browser, api, key, db, ct));
            var c = confirmed[^1];
            System.Console.WriteLine($"  {key}: form {c.PostMs:F0} ms, case page {c.PageMs:F0} ms (server {c.PageServerMs:F0} ms), API {c.ApiMs:F0} ms; " +
                                     $"{c.Close:N0} close, {c.Secondary:N0} secondary{(c.Retracing ? ", re-trace running behind" : "")}");
        }

        // Baseline: the last case traced alone with the days read from the store, as without an index in memory.
        var fromStore = Stopwatch.StartNew();
        using (var cold = new LiveStays(db))
        {
            await TraceData.TraceOneCaseAsync(db, policy, db.Now, cold, people[^1].Id, ct);
        }
        var fromStoreSeconds = fromStore.Elapsed.TotalSeconds;
        System.Console.WriteLine($"  baseline, the same case traced alone reading the days from the store: {fromStoreSeconds:F1} s");

        // The re-traces behind the answers: done when the last request is covered.
        while ((await TraceRequests.StateAsync(db, ct)) is { Pending: true })
        {
            await Task.Delay(200, ct);
        }
        var behindSeconds = behind.Elapsed.TotalSeconds;
        var done = await TraceRequests.StateAsync(db, ct);
        System.Console.WriteLine($"  the re-traces behind ({done.Completed - first.Completed} request(s) covered) done {behindSeconds:F1} s after the first confirmation");

        // What each page listed at once is what the full trace then stored: the close contacts it stored as this case's were all
        // listed, and every one listed is stored as a close contact (of this case, or of another case they met first).
        var agree = true;
        var storedClose = (await Storage.Contacts.ContactRepository.LoadAsync(db, null, ct)).Where(c => c.Finding.Tier == ContactTier.Close).ToList();
        var anyCase = storedClose.Select(c => c.Finding.Person).ToHashSet();
        foreach (var (id, key) in people)
        {
            var alone = (await TraceData.TraceOneCaseAsync(db, policy, db.Now, live, id, ct)).Where(f => f.Tier == ContactTier.Close).Select(f => f.Person).ToHashSet();
            var mine = storedClose.Where(c => c.Finding.IndexPerson == id).Select(c => c.Finding.Person).ToHashSet();
            agree &= mine.IsSubsetOf(alone) && alone.IsSubsetOf(anyCase);
        }
        System.Console.WriteLine(agree ? "  the close contacts each page listed at once agree with those the full trace stored"
            : "  CLOSE CONTACTS DIFFER from the full trace's");
        await app.StopAsync(ct);
        return new ConfirmMeasurement(live.Count(StayKind.Checkins), warmSeconds, (heapAfter - heapBefore) / 1e6, workingSet / 1e6, confirmed, fromStoreSeconds, behindSeconds, agree);
    }

    private static async Task<ConfirmedCase> ConfirmAsync(HttpClient browser, HttpClient api, string key, Database db, CancellationToken ct)
    {
        var form = await browser.GetStringAsync("/cases/new", ct);
        var antiforgery = WebBenchmark.Token().Match(form).Groups[1].Value;
        var onset = db.Calendar.ToLocal(db.Now).Date.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var watch = Stopwatch.StartNew();
        using var posted = await browser.PostAsync("/cases/new", new FormUrlEncodedContent([
            new("PersonKey", key), new("Classification", "confirmed"), new("Onset", onset), new("__RequestVerificationToken", antiforgery)]), ct);
        var postMs = watch.Elapsed.TotalMilliseconds;
        if (posted.StatusCode != HttpStatusCode.Redirect || posted.Headers.Location is not { } location)
        {
            throw new InvalidOperationException($"confirming {key} answered {(int)posted.StatusCode}: {await posted.Content.ReadAsStringAsync(ct)}");
        }
        watch.Restart();
        using var page = await browser.GetAsync(location, ct);
        var html = await page.Content.ReadAsStringAsync(ct);
        var pageMs = watch.Elapsed.TotalMilliseconds;
        page.EnsureSuccessStatusCode();
        var server = page.Headers.TryGetValues("Server-Timing", out var values) && values.FirstOrDefault() is { } v
            && double.TryParse(v.AsSpan(v.IndexOf('=', StringComparison.Ordinal) + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) ? ms : double.NaN;
        watch.Restart();
        using var answer = await api.GetAsync($"/api/v1/cases/{Uri.EscapeDataString(key)}", ct);
        var json = await answer.Content.ReadFromJsonAsync<JsonElement>(ct);
        var apiMs = watch.Elapsed.TotalMilliseconds;
        answer.EnsureSuccessStatusCode();
        var counts = json.GetProperty("contactCounts");
        long Count(string tier) => counts.TryGetProperty(tier, out var n) ? n.GetInt64() : 0;
        return new ConfirmedCase(key, postMs, pageMs, server, apiMs, json.GetProperty("retracing").GetBoolean() && html.Contains("data-testid=\"tracing\"", StringComparison.Ordinal),
            Count("close"), Count("secondary"));
    }

    /// <summary>People seen at a venue on the last stored day who are not cases, not under control and not merged: who an outbreak's next cases would be.</summary>
    private static async Task<List<(int Id, string Key)>> PickAsync(Database db, int count, int seed, CancellationToken ct)
    {
        var checkins = await CheckinStores.OpenAsync(db, ct);
        var days = await checkins.ListDaysAsync(ct);
        if (days.Count == 0)
        {
            throw new InvalidOperationException("the store has no check-ins: run 'fangkong demo --no-serve' first");
        }
        var last = await checkins.ReadDayAsync(days[^1].Day, ct);
        var cases = (await CaseRepository.LoadAllAsync(db, ct)).Select(c => c.PersonId).ToHashSet();
        await using var c = await db.OpenConnectionAsync(ct);
        var controlled = (await c.QueryAsync<long>(new CommandDefinition("SELECT person_id FROM control_orders WHERE active = 1", cancellationToken: ct))).Select(p => (int)p).ToHashSet();
        var rng = new Random(seed);
        var candidates = last.Person.Distinct().Where(p => !cases.Contains(p) && !controlled.Contains(p)).ToArray();
        rng.Shuffle(candidates);
        var picked = new List<(int, string)>();
        foreach (var chunk in candidates.Chunk(count * 2))
        {
            foreach (var p in await PersonRepository.LoadByIdsAsync(db, chunk, ct))
            {
                if (p.MergedInto is null && picked.Count < count)
                {
                    picked.Add((p.Id, p.Person.PersonKey));
                }
            }
            if (picked.Count >= count)
            {
                break;
            }
        }
        return picked.Count == count ? picked : throw new InvalidOperationException($"only {picked.Count} people to confirm on the last day");
    }
}
