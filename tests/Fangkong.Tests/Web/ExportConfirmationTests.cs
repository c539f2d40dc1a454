using System.Net;
using Fangkong.Storage.Audit;

namespace Fangkong.Tests.Web;

/// <summary>
/// A bulk export of personal data asks for the password again (a copied or unattended session cannot
/// walk off with a county's list); a wrong password exports nothing and is audited; a list without
/// personal data (the quarantine sites) exports at once.
/// </summary>
[Collection(nameof(SqliteCentreCollection))]
public sealed class ExportConfirmationTests(SqliteCentre centre)
{
    [Fact]
    public async Task AnExportOfPersonalData_AsksForThePasswordAgain_ThenGoesOnToTheFile()
    {
        using var client = await centre.SignedInAsync("investigator");
        const string export = "/cases?handler=export&format=csv&sort=onset";
        var first = await client.GetAsync(export);
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        var confirm = first.Headers.Location!.OriginalString;
        Assert.StartsWith("/confirm?returnUrl=", confirm, StringComparison.Ordinal);
        Assert.Null(first.Content.Headers.ContentDisposition);

        var page = await client.GetStringAsync(confirm);
        Assert.Contains("再次输入您的密码", page, StringComparison.Ordinal);

        var wrong = await client.PostFormAsync(confirm, "/confirm", [new("password", "not-the-password"), new("returnUrl", export)]);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync(export)).StatusCode);
        var (failed, _) = await AuditSearch.FindAsync(centre.Db, new AuditFilter(Actor: "investigator", Action: "export.confirm.failed"), 0, 10);
        Assert.NotEmpty(failed);

        var right = await client.PostFormAsync(confirm, "/confirm", [new("password", CommandCentreFixture.Password), new("returnUrl", export)]);
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Equal(export, right.Headers.Location!.OriginalString);
        var file = await client.GetAsync(export);
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.Equal("text/csv", file.Content.Headers.ContentType?.MediaType);
        // Within the window, the next export does not ask again.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/contacts?handler=export&format=xlsx")).StatusCode);
        var (confirmed, _) = await AuditSearch.FindAsync(centre.Db, new AuditFilter(Actor: "investigator", Action: "export.confirmed"), 0, 10);
        Assert.NotEmpty(confirmed);
    }

    [Fact]
    public async Task TheConfirmation_BelongsToOneSession_AndGoesOnOnlyToThisSite()
    {
        using var confirmed = await centre.SignedInAsync("control");
        var away = await confirmed.PostFormAsync("/confirm", "/confirm", [new("password", CommandCentreFixture.Password), new("returnUrl", "https://evil.example/steal")]);
        Assert.Equal(HttpStatusCode.Redirect, away.StatusCode);
        Assert.Equal("/", away.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await confirmed.GetAsync("/contacts?handler=export&format=csv")).StatusCode);

        using var another = await centre.SignedInAsync("control");
        Assert.Equal(HttpStatusCode.Redirect, (await another.GetAsync("/contacts?handler=export&format=csv")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await another.GetAsync("/sites?handler=export&format=csv")).StatusCode);
    }
}
