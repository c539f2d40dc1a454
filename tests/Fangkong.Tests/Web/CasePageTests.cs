using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;

namespace Fangkong.Tests.Web;

/// <summary>A case page counts every contact by tier and lists at most the first 50 of each, linking to the full list.</summary>
[Collection(nameof(SqliteCentreCollection))]
public sealed class CasePageTests(SqliteCentre centre)
{
    [Fact]
    public async Task TheCountsAreExact_AndTheTableIsCapped()
    {
        await using var c = await centre.Db.OpenConnectionAsync();
        var (key, close, secondary) = (await c.QueryAsync<(string Key, long Close, long Secondary)>("""
            SELECT ip.person_key, SUM(CASE WHEN k.tier = 'close' THEN 1 ELSE 0 END), SUM(CASE WHEN k.tier = 'secondary' THEN 1 ELSE 0 END)
            FROM contacts k JOIN persons ip ON ip.id = k.index_person_id GROUP BY ip.person_key ORDER BY 3 DESC LIMIT 1
            """)).Single();
        using var commander = await centre.SignedInAsync("commander");
        var html = await commander.GetStringAsync($"/cases/{key}");
        var counts = Regex.Replace(Regex.Match(html, "data-testid=\"contact-counts\">(.*?)</p>", RegexOptions.Singleline).Groups[1].Value, "<[^>]+>", " ");
        Assert.Matches($"密接 {close}\\b", counts);
        Assert.Matches($"次密接 {secondary}\\b", counts);
        var rows = Regex.Count(html, "<td><span class=\"tag secondary\">");
        Assert.Equal(Math.Min(secondary, Fangkong.Web.Pages.Cases.DetailModel.ShownPerTier), rows);
        Assert.Matches($"/contacts\\?case={key}&(amp;)?tier=secondary", html);
    }

    /// <summary>
    /// While a re-trace is pending (asked for, not yet run: the worker is not woken here), the page says so
    /// and the page and the API answer from the case traced alone. On an unchanged store that trace finds
    /// every close contact the last full trace stored under the case, and no one else but close contacts the
    /// full trace stored under another case (a person exposed to two cases is stored under one of them).
    /// </summary>
    [Fact]
    public async Task WhileARetraceIsPending_TheCaseIsTracedAlone_AndFindsTheStoredCloseContacts()
    {
        await centre.TracedAsync();
        await using var c = await centre.Db.OpenConnectionAsync();
        var key = await c.QuerySingleAsync<string>("""
            SELECT ip.person_key FROM contacts k JOIN persons ip ON ip.id = k.index_person_id WHERE k.tier = 'close'
            GROUP BY ip.person_key HAVING COUNT(*) BETWEEN 2 AND 150 ORDER BY COUNT(*) DESC, ip.person_key LIMIT 1
            """);
        using var commander = await centre.SignedInAsync("commander");
        static (bool Retracing, long Close, string[] Keys) Read(string json)
        {
            var root = JsonDocument.Parse(json).RootElement;
            var keys = root.GetProperty("contacts").EnumerateArray().Where(k => k.GetProperty("tier").GetString() == "close")
                .Select(k => k.GetProperty("person").GetProperty("key").GetString()!).Order(StringComparer.Ordinal).ToArray();
            return (root.GetProperty("retracing").GetBoolean(), root.GetProperty("contactCounts").GetProperty("close").GetInt64(), keys);
        }
        var stored = Read(await commander.GetStringAsync($"/api/v1/cases/{key}"));
        Assert.False(stored.Retracing);
        Assert.DoesNotContain("data-testid=\"tracing\"", await commander.GetStringAsync($"/cases/{key}"), StringComparison.Ordinal);

        var number = await global::Fangkong.Storage.Tracing.TraceRequests.RequestAsync(centre.Db);
        try
        {
            var json = await commander.GetStringAsync($"/api/v1/cases/{key}");
            var alone = Read(json);
            Assert.True(alone.Retracing);
            Assert.NotEqual(JsonValueKind.Null, JsonDocument.Parse(json).RootElement.GetProperty("retraceRequestedAt").ValueKind);
            Assert.Empty(stored.Keys.Except(alone.Keys));
            var closeOfOthers = (await c.QueryAsync<string>("""
                SELECT p.person_key FROM contacts k JOIN persons p ON p.id = k.person_id JOIN persons ip ON ip.id = k.index_person_id
                WHERE k.tier = 'close' AND ip.person_key <> @key
                """, new { key })).ToHashSet();
            Assert.Empty(alone.Keys.Except(stored.Keys).Except(closeOfOthers));
            Assert.Equal(alone.Keys.Length, alone.Close);
            var html = await commander.GetStringAsync($"/cases/{key}");
            Assert.Contains("data-testid=\"tracing\"", html, StringComparison.Ordinal);
            var counts = Regex.Replace(Regex.Match(html, "data-testid=\"contact-counts\">(.*?)</p>", RegexOptions.Singleline).Groups[1].Value, "<[^>]+>", " ");
            Assert.Matches($"密接 {alone.Close}\\b", counts);
            // The banner asks whether the re-trace is done.
            Assert.Contains("/cases/" + key + "?handler=tracing", html, StringComparison.Ordinal);
            Assert.True(JsonDocument.Parse(await commander.GetStringAsync($"/cases/{key}?handler=tracing")).RootElement.GetProperty("pending").GetBoolean());
        }
        finally
        {
            await global::Fangkong.Storage.Tracing.TraceRequests.CompleteAsync(centre.Db, number);
        }
        Assert.False(JsonDocument.Parse(await commander.GetStringAsync($"/cases/{key}?handler=tracing")).RootElement.GetProperty("pending").GetBoolean());
        Assert.DoesNotContain("data-testid=\"tracing\"", await commander.GetStringAsync($"/cases/{key}"), StringComparison.Ordinal);
    }
}
