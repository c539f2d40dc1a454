using System.Net;
using Dapper;

namespace Fangkong.Tests.Web;

/// <summary>A member of the public sees on their own page who looked at their record, when and how (PIPL Art. 44–45): every opening by staff, none of their own.</summary>
[Collection(nameof(SqliteCentreCollection))]
public sealed class RecordViewsTests(SqliteCentre centre)
{
    [Fact]
    public async Task AResident_SeesEachLookAtTheirRecord_ByRoleAndJurisdiction()
    {
        string key;
        await using (var c = await centre.Db.OpenConnectionAsync())
        {
            key = await c.QuerySingleAsync<string>("SELECT p.person_key FROM accounts a JOIN persons p ON p.id = a.person_id WHERE a.username = 'resident'");
        }
        using var resident = await centre.SignedInAsync("resident");
        var before = await resident.GetStringAsync("/me");
        var countBefore = Count(before);

        using (var officer = await centre.SignedInAsync("control"))
        {
            Assert.Equal(HttpStatusCode.OK, (await officer.GetAsync($"/control/{key}")).StatusCode);
        }
        using (var outsider = await centre.SignedInAsync(CommandCentreFixture.Outsider))
        {
            // Outside their county: refused, and so not a look at the record.
            Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"/control/{key}")).StatusCode);
        }

        var after = await resident.GetStringAsync("/me");
        Assert.Equal(countBefore + 1, Count(after));   // the officer's look; not the resident's own two, not the refused one
        var table = after[after.IndexOf("data-testid=\"my-views\"", StringComparison.Ordinal)..];
        var body = table[table.IndexOf("<tbody>", StringComparison.Ordinal)..];
        var firstRow = body[..body.IndexOf("</tr>", StringComparison.Ordinal)];
        Assert.Contains("隔离转运组", firstRow, StringComparison.Ordinal);
        Assert.Contains("网页", firstRow, StringComparison.Ordinal);
        Assert.DoesNotContain("control", firstRow, StringComparison.Ordinal);   // the role and unit, not the officer's account
    }

    private static long Count(string html)
    {
        var m = System.Text.RegularExpressions.Regex.Match(html, @"共 (\d+) 次");
        Assert.True(m.Success, "the page says how many looks there were");
        return long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }
}
