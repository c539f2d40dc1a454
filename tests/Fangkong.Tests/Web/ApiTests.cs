using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Fangkong.Storage.Accounts;

namespace Fangkong.Tests.Web;

/// <summary>The JSON API: tokens per user, problem+json errors that name the field, refusals as 409, anti-forgery for cookie-authenticated changes, and the OpenAPI document.</summary>
[Collection(nameof(SqliteCentreCollection))]
public sealed class ApiTests(SqliteCentre centre)
{
    private async Task<HttpClient> TokenClientAsync(string user)
    {
        var account = await AccountRepository.FindAsync(centre.Db, user);
        var (_, token) = await NewTokenAsync(account!.Id, "test " + Guid.NewGuid().ToString("N")[..6]);
        var http = new HttpClient { BaseAddress = centre.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private static long RealNow => TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>A write token living a day (tokens run on real time, never on the store's simulated clock).</summary>
    private Task<(long Id, string Secret)> NewTokenAsync(long account, string name, TokenScope scope = TokenScope.Write, long? expiresAt = null) =>
        ApiTokenRepository.CreateAsync(centre.Db, account, name, scope, expiresAt ?? RealNow + 86400, RealNow);

    [Fact]
    public async Task AToken_ActsAsItsAccount_AndARevokedOrWrongOneIs401()
    {
        using var http = await TokenClientAsync("control");
        var me = await http.GetFromJsonAsync<JsonElement>("/api/v1/me");
        Assert.Equal("control_officer", me.GetProperty("role").GetString());
        Assert.Equal(centre.HomeCounty, me.GetProperty("jurisdiction").GetString());

        using var wrong = new HttpClient { BaseAddress = centre.BaseAddress };
        wrong.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "fk_" + new string('0', 64));
        var response = await wrong.GetAsync("/api/v1/me");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);

        var account = await AccountRepository.FindAsync(centre.Db, "control");
        var (id, token) = await NewTokenAsync(account!.Id, "to-revoke");
        Assert.True(await ApiTokenRepository.RevokeAsync(centre.Db, id, RealNow));
        using var revoked = new HttpClient { BaseAddress = centre.BaseAddress };
        revoked.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.Unauthorized, (await revoked.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task UnreadableRequests_AreProblemJson_InTheCallersLanguage_NeverTheHtmlErrorPage()
    {
        using var http = await TokenClientAsync("investigator");
        async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
        {
            Assert.Equal(status, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            return await response.Content.ReadFromJsonAsync<JsonElement>();
        }

        var badQuery = await ProblemAsync(await http.GetAsync("/api/v1/cases?page=abc"), HttpStatusCode.BadRequest);
        Assert.Equal("page", badQuery.GetProperty("field").GetString());
        Assert.Equal("请求无法读取", badQuery.GetProperty("title").GetString());

        var badBody = await ProblemAsync(await http.PostAsync("/api/v1/tasks/1/done", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest);
        Assert.Contains("JSON", badBody.GetProperty("detail").GetString(), StringComparison.Ordinal);

        await ProblemAsync(await http.GetAsync("/api/v1/no-such-thing"), HttpStatusCode.NotFound);

        using var anonymous = new HttpClient { BaseAddress = centre.BaseAddress };
        anonymous.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en-GB");
        var unauthorized = await ProblemAsync(await anonymous.GetAsync("/api/v1/me"), HttpStatusCode.Unauthorized);
        Assert.Equal("Sign in or send a valid API token", unauthorized.GetProperty("title").GetString());
    }

    [Fact]
    public async Task BadInput_IsProblemJson_NamingTheField()
    {
        using var http = await TokenClientAsync("investigator");
        var response = await http.GetAsync("/api/v1/cases?classification=maybe");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("classification", problem.GetProperty("field").GetString());
        Assert.Contains("maybe", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var forbidden = await http.GetAsync("/api/v1/audit");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal("application/problem+json", forbidden.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task AStepOutOfOrder_Is409WithTheReason_AndChangesNothing()
    {
        var person = await centre.UnderControlAsync(3);
        using var http = await TokenClientAsync("control");
        var before = await http.GetFromJsonAsync<JsonElement>($"/api/v1/control/{person}");
        var response = await http.PostAsJsonAsync($"/api/v1/control/{person}/move", new { to = "notified" });
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("under_control", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var after = await http.GetFromJsonAsync<JsonElement>($"/api/v1/control/{person}");
        Assert.Equal(before.GetProperty("version").GetInt32(), after.GetProperty("version").GetInt32());
        Assert.Equal("under_control", after.GetProperty("status").GetString());

        var unknown = await http.PostAsJsonAsync($"/api/v1/control/{person}/move", new { to = "teleported" });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal("to", (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
    }

    [Fact]
    public async Task ACookieSessionChange_NeedsTheAntiForgeryHeader()
    {
        using var client = await centre.SignedInAsync("control");
        var response = await client.Http.PostAsJsonAsync("/api/v1/tasks/1/done", new { note = "x" });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("X-CSRF-Token", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheOpenApiDocument_DescribesTheApi_AndTheReferencePageIsServedLocally()
    {
        using var client = centre.Client();
        var doc = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json")).RootElement;
        var paths = doc.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        foreach (var path in new[] { "/api/v1/me", "/api/v1/dashboard", "/api/v1/cases", "/api/v1/cases/{key}", "/api/v1/contacts", "/api/v1/control/{personKey}/move", "/api/v1/tasks", "/api/v1/tasks/{id}/done", "/api/v1/sites", "/api/v1/missing", "/api/v1/audit" })
        {
            Assert.Contains(path, paths);
        }
        var reference = await client.GetAsync("/scalar/");
        Assert.Equal(HttpStatusCode.OK, reference.StatusCode);
        var html = await reference.Content.ReadAsStringAsync();
        Assert.DoesNotContain("cdn.jsdelivr", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TasksOutsideTheJurisdiction_Are404()
    {
        long foreign;
        await using (var c = await centre.Db.OpenConnectionAsync())
        {
            foreign = await c.QueryFirstAsync<long>("SELECT id FROM tasks WHERE status = 'open' AND owner_jurisdiction NOT LIKE @home AND home_jurisdiction NOT LIKE @home ORDER BY id",
                new { home = centre.HomeCounty + "%" });
        }
        using var http = await TokenClientAsync("control");
        var response = await http.PostAsJsonAsync($"/api/v1/tasks/{foreign}/done", new { note = "not mine" });
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task ATokenLimitedToAnArea_ActsOnlyThere_AndCannotBeIssuedForMore()
    {
        string inside, elsewhere, community;
        await using (var c = await centre.Db.OpenConnectionAsync())
        {
            community = await c.QueryFirstAsync<string>("""
                SELECT p.community_code FROM control_orders o JOIN persons p ON p.id = o.person_id WHERE o.active = 1 AND p.community_code LIKE @home
                GROUP BY p.community_code ORDER BY COUNT(*) DESC, p.community_code LIMIT 1
                """, new { home = centre.HomeCounty + "%" });
            inside = await c.QueryFirstAsync<string>(
                "SELECT p.person_key FROM control_orders o JOIN persons p ON p.id = o.person_id WHERE o.active = 1 AND p.community_code = @community ORDER BY p.person_key", new { community });
            elsewhere = await c.QueryFirstAsync<string>(
                "SELECT p.person_key FROM control_orders o JOIN persons p ON p.id = o.person_id WHERE o.active = 1 AND p.community_code LIKE @home AND p.community_code <> @community ORDER BY p.person_key",
                new { home = centre.HomeCounty + "%", community });
        }
        var (issued, secret, _) = await Support.Cli.RunAsync("--db", centre.Store.DbArgument, "admin", "create-token", "control", "--name", "社区核酸点", "--scope", "read", "--days", "1", "--jurisdiction", community);
        Assert.Equal(0, issued);
        using var http = new HttpClient { BaseAddress = centre.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret.Trim());
        Assert.Equal(community, (await http.GetFromJsonAsync<JsonElement>("/api/v1/me")).GetProperty("jurisdiction").GetString());
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/api/v1/control/{inside}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/v1/control/{elsewhere}")).StatusCode);   // in the account's county, not in the token's area

        var (refused, _, err) = await Support.Cli.RunAsync("--db", centre.Store.DbArgument, "admin", "create-token", "control", "--name", "too wide", "--jurisdiction", centre.OtherCounty);
        Assert.Equal(2, refused);
        Assert.Contains("not a division inside", err, StringComparison.Ordinal);
    }
}
