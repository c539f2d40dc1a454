using System.Net;
using System.Net.Http.Headers;
using Fangkong.Application.Accounts;
using Fangkong.Jurisdictions;
using Fangkong.Staff;
using Fangkong.Storage.Accounts;
using Fangkong.Storage.Audit;

namespace Fangkong.Tests.Web;

/// <summary>
/// Sessions end on the server: a copy of the session cookie taken before sign-out, a password reset
/// or a deactivation opens nothing afterwards. API tokens expire, keep to their scope and can be
/// revoked from the command line; a failed use is audited.
/// </summary>
[Collection(nameof(SqliteCentreCollection))]
public sealed class SessionTests(SqliteCentre centre)
{
    private static long RealNow => TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();

    private async Task<string> NewAccountAsync()
    {
        var user = "s" + Guid.NewGuid().ToString("N")[..10];
        await AccountRepository.AddAsync(centre.Db, user, "会话测试", StaffRole.Investigator, JurisdictionCode.Parse(centre.HomeCounty), null, Passwords.Hash(CommandCentreFixture.Password), RealNow);
        return user;
    }

    /// <summary>Signs in and returns the client and a copy of its session cookie, as someone who copied it would hold it.</summary>
    private async Task<(WebClient Client, string Cookie)> SignInAsync(string user)
    {
        var client = centre.Client();
        var response = await client.SignInAsync(user, CommandCentreFixture.Password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var cookie = response.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.StartsWith("fk_session=", StringComparison.Ordinal));
        return (client, cookie);
    }

    private async Task<HttpStatusCode> WithCookieAsync(string cookie, string url)
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false };
        using var http = new HttpClient(handler) { BaseAddress = centre.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("Cookie", cookie);
        return (await http.SendAsync(request)).StatusCode;
    }

    private async Task CliOkAsync(params string[] args)
    {
        var (code, output, err) = await Support.Cli.RunAsync(["--db", centre.Store.DbArgument, .. args]);
        Assert.True(code == 0, $"{string.Join(' ', args)}: {err}{output}");
    }

    [Fact]
    public async Task ACopiedCookie_OpensNothing_AfterSignOut()
    {
        var user = await NewAccountAsync();
        var (client, cookie) = await SignInAsync(user);
        Assert.Equal(HttpStatusCode.OK, await WithCookieAsync(cookie, "/tasks"));
        Assert.Equal(HttpStatusCode.OK, await WithCookieAsync(cookie, "/api/v1/me"));

        var signedOut = await client.PostFormAsync("/", "/signout", []);
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, await WithCookieAsync(cookie, "/tasks"));
        Assert.Equal(HttpStatusCode.Unauthorized, await WithCookieAsync(cookie, "/api/v1/me"));
        client.Dispose();
    }

    [Fact]
    public async Task EverySessionOfAnAccount_Ends_WhenItsPasswordIsReset()
    {
        var user = await NewAccountAsync();
        var (first, one) = await SignInAsync(user);
        var (second, two) = await SignInAsync(user);
        Assert.Equal(HttpStatusCode.OK, await WithCookieAsync(one, "/tasks"));

        await CliOkAsync("admin", "reset-password", user, "--password", CommandCentreFixture.Password);

        Assert.Equal(HttpStatusCode.Redirect, await WithCookieAsync(one, "/tasks"));
        Assert.Equal(HttpStatusCode.Unauthorized, await WithCookieAsync(two, "/api/v1/me"));
        var (rows, _) = await AuditSearch.FindAsync(centre.Db, new AuditFilter(Target: $"account:{user}"), 0, 50);
        Assert.Contains(rows, r => r.Action == "account.password" && global::Fangkong.Application.Text.Texts.Default.AuditDetail("en", r.Detail).Contains("2 session(s) ended", StringComparison.Ordinal) && r.Channel == "cli");
        first.Dispose();
        second.Dispose();
    }

    [Fact]
    public async Task ARoleChange_EndsTheSessions_OpenedWithTheOldRole()
    {
        var user = await NewAccountAsync();
        var (client, cookie) = await SignInAsync(user);
        Assert.Equal(HttpStatusCode.OK, await WithCookieAsync(cookie, "/cases"));

        await CliOkAsync("admin", "set-role", user, "--role", "auditor");

        Assert.Equal(HttpStatusCode.Redirect, await WithCookieAsync(cookie, "/cases"));
        Assert.Equal(StaffRole.Auditor, (await AccountRepository.FindAsync(centre.Db, user))!.Role);
        var (again, fresh) = await SignInAsync(user);
        Assert.Equal(HttpStatusCode.OK, await WithCookieAsync(fresh, "/audit"));   // the new role's page
        client.Dispose();
        again.Dispose();
    }

    [Fact]
    public async Task ADeactivatedAccount_LosesItsSessionsAndTokens_AndCannotSignIn()
    {
        var user = await NewAccountAsync();
        var (client, cookie) = await SignInAsync(user);
        var account = await AccountRepository.FindAsync(centre.Db, user);
        var (_, token) = await ApiTokenRepository.CreateAsync(centre.Db, account!.Id, "deactivation", TokenScope.Read, RealNow + 86400, RealNow);

        await CliOkAsync("admin", "deactivate", user);

        Assert.Equal(HttpStatusCode.Redirect, await WithCookieAsync(cookie, "/tasks"));
        using var api = new HttpClient { BaseAddress = centre.BaseAddress };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/v1/me")).StatusCode);
        using var again = centre.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await again.SignInAsync(user, CommandCentreFixture.Password)).StatusCode);
        client.Dispose();
    }

    [Fact]
    public async Task ATokenExpires_KeepsToItsScope_AndItsFailedUsesAreAudited()
    {
        var account = await AccountRepository.FindAsync(centre.Db, "control");
        var (_, expired) = await ApiTokenRepository.CreateAsync(centre.Db, account!.Id, "expired", TokenScope.Write, RealNow - 1, RealNow - 86400);
        var (_, reader) = await ApiTokenRepository.CreateAsync(centre.Db, account.Id, "reader", TokenScope.Read, RealNow + 86400, RealNow);
        HttpClient Bearer(string t)
        {
            var http = new HttpClient { BaseAddress = centre.BaseAddress };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", t);
            return http;
        }

        using var old = Bearer(expired);
        Assert.Equal(HttpStatusCode.Unauthorized, (await old.GetAsync("/api/v1/me")).StatusCode);
        var (refused, _) = await AuditSearch.FindAsync(centre.Db, new AuditFilter(Action: "token.refused"), 0, 50);
        Assert.Contains(refused, r => r.Detail.EndsWith("expired", StringComparison.Ordinal) && r.Target == "token:" + ApiTokenRepository.HashOf(expired)[..12]);

        using var read = Bearer(reader);
        Assert.Equal(HttpStatusCode.OK, (await read.GetAsync("/api/v1/me")).StatusCode);
        var person = await centre.UnderControlAsync(4);
        var write = await read.PostAsync($"/api/v1/control/{person}/move", new StringContent("{\"to\":\"lost\",\"reason\":\"x\"}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
        Assert.Equal("application/problem+json", write.Content.Headers.ContentType?.MediaType);
        var order = await Fangkong.Storage.Control.ControlRepository.ActiveForAsync(centre.Db, (await Fangkong.Storage.People.PersonRepository.FindAsync(centre.Db, person))!.Id);
        Assert.Equal(Fangkong.Control.ControlStatus.UnderControl, order!.Status);
        var (denied, _) = await AuditSearch.FindAsync(centre.Db, new AuditFilter(Action: "access.denied", Actor: "control"), 0, 50);
        Assert.Contains(denied, r => global::Fangkong.Application.Text.Texts.Default.AuditDetail("en", r.Detail) == "read-only API token" && r.Target == $"api:/api/v1/control/{person}/move");
    }

    [Fact]
    public async Task AUser_SeesAndRevokesTheirOwnTokens_InTheBrowser_ButNoOneElses()
    {
        var user = await NewAccountAsync();
        var mine = (await AccountRepository.FindAsync(centre.Db, user))!.Id;
        var (id, secret) = await ApiTokenRepository.CreateAsync(centre.Db, mine, "我的导入脚本", TokenScope.Write, RealNow + 86400, RealNow);
        var other = await AccountRepository.FindAsync(centre.Db, "control");
        var (otherId, _) = await ApiTokenRepository.CreateAsync(centre.Db, other!.Id, "someone else's", TokenScope.Read, RealNow + 86400, RealNow);
        var (client, _) = await SignInAsync(user);

        var page = await client.GetStringAsync("/tokens");
        Assert.Contains("我的导入脚本", page, StringComparison.Ordinal);
        Assert.DoesNotContain("someone else", page, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, page, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NotFound, (await client.PostFormAsync("/tokens", "/tokens?handler=revoke", [new("id", otherId.ToString(System.Globalization.CultureInfo.InvariantCulture))])).StatusCode);
        Assert.Null((await ApiTokenRepository.ListAsync(centre.Db, other.Id)).Single(t => t.Id == otherId).RevokedAt);

        Assert.Equal(HttpStatusCode.Redirect, (await client.PostFormAsync("/tokens", "/tokens?handler=revoke", [new("id", id.ToString(System.Globalization.CultureInfo.InvariantCulture))])).StatusCode);
        using var api = new HttpClient { BaseAddress = centre.BaseAddress };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/v1/me")).StatusCode);
        var (rows, _) = await AuditSearch.FindAsync(centre.Db, new AuditFilter(Target: $"token:{id}"), 0, 10);
        Assert.Contains(rows, r => r.Action == "token.revoke" && r.Channel == "web" && r.Actor == user);
        client.Dispose();
    }

    [Fact]
    public async Task TokensAreIssuedListedAndRevoked_FromTheCommandLine()
    {
        var user = await NewAccountAsync();
        var tooLong = await Support.Cli.RunAsync("--db", centre.Store.DbArgument, "admin", "create-token", user, "--name", "lab", "--days", "400");
        Assert.Equal(2, tooLong.Code);
        Assert.Contains("1–365", tooLong.Err + tooLong.Out, StringComparison.Ordinal);

        var issued = await Support.Cli.RunAsync("--db", centre.Store.DbArgument, "admin", "create-token", user, "--name", "lab-import", "--days", "30");
        Assert.Equal(0, issued.Code);
        var secret = issued.Out.Trim();
        Assert.StartsWith(ApiTokenRepository.Prefix, secret, StringComparison.Ordinal);
        var listed = await Support.Cli.RunAsync("--db", centre.Store.DbArgument, "admin", "list-tokens", user);
        Assert.Contains("lab-import", listed.Out, StringComparison.Ordinal);
        Assert.Contains("live", listed.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, listed.Out, StringComparison.Ordinal);
        var id = (await ApiTokenRepository.ListAsync(centre.Db, (await AccountRepository.FindAsync(centre.Db, user))!.Id)).Single().Id;
        Assert.True((await ApiTokenRepository.ListAsync(centre.Db, null)).Single(t => t.Id == id).ExpiresAt is var e && Math.Abs(e - (RealNow + 30 * 86400L)) < 120);

        await CliOkAsync("admin", "revoke-token", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var api = new HttpClient { BaseAddress = centre.BaseAddress };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/v1/me")).StatusCode);
        var twice = await Support.Cli.RunAsync("--db", centre.Store.DbArgument, "admin", "revoke-token", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(2, twice.Code);
        var (rows, _) = await AuditSearch.FindAsync(centre.Db, new AuditFilter(Target: $"token:{id}"), 0, 50);
        Assert.Contains(rows, r => r.Action == "token.revoke" && r.Channel == "cli");
        Assert.Contains(rows, r => r.Action == "token.revoke.refused");
    }
}
