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
}
