using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Fangkong.Storage.Accounts;
using Fangkong.Storage.Audit;

namespace Fangkong.Tests.Web;

/// <summary>
/// Write paths keep to the jurisdiction: a control officer of one county cannot place anyone in another
/// county's quarantine site, and the answer does not tell whether that site exists or is full.
/// </summary>
[Collection(nameof(SqliteCentreCollection))]
public sealed class WritePathScopeTests(SqliteCentre centre)
{
    [Fact]
    public async Task AnOutsideSite_AnswersLikeANonexistentOne_AndPlacesNobody()
    {
        string outsideSite, ownSite;
        await using (var c = await centre.Db.OpenConnectionAsync())
        {
            outsideSite = await c.QueryFirstAsync<string>("SELECT site_key FROM quarantine_sites WHERE county_code <> @home ORDER BY site_key", new { home = centre.HomeCounty });
            ownSite = await c.QueryFirstAsync<string>("SELECT site_key FROM quarantine_sites WHERE county_code = @home ORDER BY site_key", new { home = centre.HomeCounty });
        }
        var person = await centre.UnderControlAsync(5);
        var account = await AccountRepository.FindAsync(centre.Db, "control");
        var now = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        var (_, token) = await ApiTokenRepository.CreateAsync(centre.Db, account!.Id, "scope test", TokenScope.Write, now + 3600, now);
        using var http = new HttpClient { BaseAddress = centre.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        async Task<(HttpStatusCode Status, string Detail)> PlaceAsync(string site)
        {
            var response = await http.PostAsJsonAsync($"/api/v1/control/{person}/place", new { site });
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            return (response.StatusCode, body.GetProperty("detail").GetString()!);
        }

        var outside = await PlaceAsync(outsideSite);
        var missing = await PlaceAsync("NO-SUCH-SITE");
        var own = await PlaceAsync(ownSite);

        Assert.Equal(HttpStatusCode.NotFound, outside.Status);
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
        Assert.Equal(outside.Detail.Replace(outsideSite, "X", StringComparison.Ordinal), missing.Detail.Replace("NO-SUCH-SITE", "X", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Conflict, own.Status);   // inside: the placement's own refusal (the person is not waiting for a room)
        await using (var c = await centre.Db.OpenConnectionAsync())
        {
            Assert.Equal(0, await c.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM room_stays s JOIN site_rooms r ON r.id = s.room_id JOIN quarantine_sites q ON q.id = r.site_id JOIN persons p ON p.id = s.person_id WHERE p.person_key = @person AND q.site_key = @outsideSite",
                new { person, outsideSite }));
        }
        var (denied, _) = await AuditSearch.FindAsync(centre.Db, new AuditFilter(Action: "access.denied", Target: $"site:{outsideSite}"), 0, 10);
        Assert.Equal("control.place", Assert.Single(denied).Detail);
    }

    [Fact]
    public async Task ARoleDenial_IsAuditedOnce_WithAPlainPath()
    {
        using var client = await centre.SignedInAsync("community");
        var response = await client.GetAsync("/audit?x=<script>");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var (denied, _) = await AuditSearch.FindAsync(centre.Db, new AuditFilter(Action: "access.denied", Actor: "community", Target: "path:/audit"), 0, 10);
        Assert.Equal("not allowed for the role: GET", global::Fangkong.Application.Text.Texts.Default.AuditDetail("en", Assert.Single(denied).Detail));
        Assert.Equal("path:/a_b_", Fangkong.Web.Audit.DenialAudit.Sanitize("/a<b>"));
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    public async Task ANonNumberTemperature_IsABadReading_NotAnError(string temperature)
    {
        using var client = await centre.SignedInAsync("resident");
        var response = await client.PostFormAsync("/me", "/me?handler=report", [new("temperature", temperature)]);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await using var c = await centre.Db.OpenConnectionAsync();
        Assert.Equal(0, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM health_checks WHERE temperature IS NULL OR NOT (temperature BETWEEN 30 AND 45)"));
    }

    [Fact]
    public async Task ASelfReport_WithHiddenCharactersOrAHugeText_IsRefused_AndNothingIsStored()
    {
        using var client = await centre.SignedInAsync("resident");
        await using var c = await centre.Db.OpenConnectionAsync();
        var before = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM health_checks");
        var hidden = await client.PostFormAsync("/me", "/me?handler=report", [new("temperature", "36.6"), new("symptoms", "咳嗽\u202Eexe.txt")]);
        var huge = await client.PostFormAsync("/me", "/me?handler=report", [new("temperature", "36.6"), new("symptoms", new string('咳', 200_000))]);
        Assert.Equal(HttpStatusCode.Conflict, hidden.StatusCode);
        Assert.Contains("202E", await hidden.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, huge.StatusCode);
        Assert.Equal(before, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM health_checks"));
    }
}
