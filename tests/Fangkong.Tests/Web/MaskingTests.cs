using Dapper;
using Fangkong.Web.Access;

namespace Fangkong.Tests.Web;

public sealed class MaskingRuleTests
{
    [Theory]
    [InlineData("王小明", "王**")]
    [InlineData("王明", "王**")]
    [InlineData("欧阳小明", "欧***")]
    [InlineData("", "")]
    [InlineData("𠮷田", "𠮷**")]                 // a surname outside the basic plane stays whole
    [InlineData("e\u0301lise", "e\u0301****")]   // a letter and its combining accent are one character
    public void Names_KeepOnlyTheFirstCharacter(string name, string masked) => Assert.Equal(masked, Masking.Name(name));

    [Theory]
    [InlineData("64010419900101123X", "640104********123X")]
    [InlineData("E12345678", "*********")]
    public void DocumentNumbers_KeepTheFirst6AndLast4(string number, string masked) => Assert.Equal(masked, Masking.Document(number));

    [Fact]
    public void Phones_KeepTheFirst3AndLast4() => Assert.Equal("139****5678", Masking.Phone("13912345678"));
}

/// <summary>On a case page, contacts who live outside the viewer's jurisdiction are masked; those inside are not; a region-wide viewer sees all.</summary>
[Collection(nameof(SqliteCentreCollection))]
public sealed class MaskingOnPagesTests(SqliteCentre centre)
{
    [Fact]
    public async Task ACountyInvestigator_SeesOutsideContactsMasked_TheCommanderSeesThemWhole()
    {
        await using var c = await centre.Db.OpenConnectionAsync();
        // A case with close contacts both inside and outside its county.
        // Both among the contacts the page lists (the first of each tier by person).
        var row = (await c.QueryAsync<(string Case, string Inside, string Outside, string OutsideId)>("""
            WITH k AS (SELECT person_id, index_person_id, ROW_NUMBER() OVER (PARTITION BY index_person_id, tier ORDER BY person_id) AS n FROM contacts)
            SELECT ip.person_key, pin.name, pout.name, pout.id_number
            FROM k kin JOIN persons pin ON pin.id = kin.person_id
            JOIN k kout ON kout.index_person_id = kin.index_person_id JOIN persons pout ON pout.id = kout.person_id
            JOIN persons ip ON ip.id = kin.index_person_id
            WHERE pin.community_code LIKE @home AND pout.community_code NOT LIKE @home AND pout.name IS NOT NULL AND pin.name IS NOT NULL
              AND kin.n <= @shown AND kout.n <= @shown
            ORDER BY ip.person_key, pin.person_key, pout.person_key LIMIT 1
            """, new { home = centre.HomeCounty + "%", shown = Fangkong.Web.Pages.Cases.DetailModel.ShownPerTier })).Single();

        using var investigator = await centre.SignedInAsync("investigator");
        var html = await investigator.GetStringAsync($"/cases/{row.Case}");
        Assert.Contains(System.Net.WebUtility.HtmlEncode(row.Inside), html, StringComparison.Ordinal);
        Assert.Contains(Masking.Name(row.Outside), html, StringComparison.Ordinal);
        Assert.DoesNotContain(">" + System.Net.WebUtility.HtmlEncode(row.Outside) + "<", html, StringComparison.Ordinal);

        using var commander = await centre.SignedInAsync("commander");
        var whole = await commander.GetStringAsync($"/cases/{row.Case}");
        Assert.Contains(">" + System.Net.WebUtility.HtmlEncode(row.Outside) + "<", whole, StringComparison.Ordinal);

        using var api = await centre.SignedInAsync("investigator");
        var json = await api.GetStringAsync($"/api/v1/cases/{row.Case}");
        Assert.DoesNotContain(row.OutsideId, json, StringComparison.Ordinal);
        Assert.Contains(Masking.Document(row.OutsideId), json, StringComparison.Ordinal);
    }
}
