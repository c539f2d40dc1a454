using System.Net;
using Dapper;
using Fangkong.Storage.Audit;

namespace Fangkong.Tests.Web;

/// <summary>
/// Every role × every screen and API call, including URLs guessed for records outside the caller's
/// jurisdiction. The expected answers are written out here by hand from SPEC 1 (what each role does),
/// not read from the application's permission table.
/// </summary>
public abstract class AccessMatrixTests(CommandCentreFixture centre)
{
    private const int Ok = 200, Redirect = 302, Forbidden = 403, NotFound = 404;

    /// <summary>Who may look at cases at all: commanders, investigators, control officers and auditors.</summary>
    private static readonly HashSet<string> SeeCases = ["commander", "investigator", "control", "auditor", CommandCentreFixture.Outsider];

    /// <summary>Who may look at contacts and their control orders: everyone but checkpoint officers and venue operators.</summary>
    private static readonly HashSet<string> SeeContacts = ["commander", "investigator", "control", "testing", "community", "auditor", CommandCentreFixture.Outsider];

    /// <summary>Who runs or oversees quarantine sites: commanders, control officers and auditors.</summary>
    private static readonly HashSet<string> SeeSites = ["commander", "control", "auditor"];

    /// <summary>Accounts whose jurisdiction is the whole region.</summary>
    private static readonly HashSet<string> Region = ["commander", "auditor"];

    public static IEnumerable<object[]> Accounts => CommandCentreFixture.Roles.Append(CommandCentreFixture.Outsider).Select(r => new object[] { r });

    [Theory]
    [MemberData(nameof(Accounts))]
    public async Task EachRole_GetsExactlyWhatItMaySee(string user)
    {
        var (homeCase, homeContact, homeContactCommunity, otherContact) = await RecordsAsync();
        var communityOf = await JurisdictionOfAsync(user);
        using var client = await centre.SignedInAsync(user);
        // Exports of personal data ask for the password again first (ExportConfirmationTests); here it has just been entered.
        await client.PostFormAsync("/confirm", "/confirm", [new("password", CommandCentreFixture.Password)]);

        // What the account's jurisdiction contains: the region, the demo county, one community, or the other county.
        bool Inside(string community) => Region.Contains(user) || community.StartsWith(communityOf, StringComparison.Ordinal);
        int Case() => !SeeCases.Contains(user) ? Forbidden : Inside(homeCase.Community) ? Ok : NotFound;
        int Contact(string community) => !SeeContacts.Contains(user) ? Forbidden : Inside(community) ? Ok : NotFound;

        var staff = user != "resident";
        var expected = new Dictionary<string, int>
        {
            ["/"] = staff ? Ok : Redirect,
            ["/me"] = staff ? Forbidden : Ok,
            ["/cases"] = SeeCases.Contains(user) ? Ok : Forbidden,
            ["/cases?handler=export&format=csv"] = SeeCases.Contains(user) ? Ok : Forbidden,
            [$"/cases/{homeCase.Key}"] = Case(),
            [$"/control/{homeContact}"] = Contact(homeContactCommunity),
            [$"/control/{otherContact.Key}"] = Contact(otherContact.Community),
            ["/tasks"] = staff ? Ok : Forbidden,
            ["/sites"] = SeeSites.Contains(user) ? Ok : Forbidden,
            ["/sites?handler=export&format=xlsx"] = SeeSites.Contains(user) ? Ok : Forbidden,
            ["/contacts?handler=export&format=csv"] = SeeContacts.Contains(user) && user is not ("testing" or "community") ? Ok : Forbidden,
            ["/api/v1/sites"] = SeeSites.Contains(user) ? Ok : Forbidden,
            ["/audit"] = user == "auditor" ? Ok : Forbidden,
            ["/api/v1/me"] = Ok,
            ["/api/v1/dashboard"] = staff ? Ok : Forbidden,
            ["/api/v1/cases"] = SeeCases.Contains(user) ? Ok : Forbidden,
            [$"/api/v1/cases/{homeCase.Key}"] = Case(),
            ["/api/v1/tasks"] = staff ? Ok : Forbidden,
        };
        var actual = new Dictionary<string, int>();
        foreach (var url in expected.Keys)
        {
            actual[url] = (int)(await client.GetAsync(url)).StatusCode;
        }
        Assert.Equal(expected, actual);
    }

    [Fact]
    public async Task WithoutSigningIn_PagesGoToSignIn_AndTheApiSays401()
    {
        using var client = centre.Client();
        foreach (var url in new[] { "/", "/cases", "/tasks", "/audit", "/control/P0000001" })
        {
            var response = await client.GetAsync(url);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/signin", new Uri(centre.BaseAddress, response.Headers.Location!).AbsolutePath);
        }
        foreach (var url in new[] { "/api/v1/me", "/api/v1/cases", "/api/v1/dashboard", "/api/v1/tasks" })
        {
            var response = await client.GetAsync(url);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/signin")).StatusCode);
    }

    [Fact]
    public async Task GuessingTheUrlOfAnotherJurisdictionsCase_Is404_AndAudited()
    {
        var ((homeCase, _), _, _, _) = await RecordsAsync();
        using var client = await centre.SignedInAsync(CommandCentreFixture.Outsider);
        var page = await client.GetAsync($"/cases/{homeCase}");
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        var api = await client.GetAsync($"/api/v1/cases/{homeCase}");
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
        var (rows, _) = await AuditSearch.FindAsync(centre.Db, new AuditFilter(Actor: CommandCentreFixture.Outsider, Action: "access.denied", Target: $"person:{homeCase}"), 0, 10);
        Assert.True(rows.Count >= 2, "both attempts are in the audit log");
        Assert.All(rows, r => Assert.Equal(centre.OtherCounty, r.Scope));
    }

    private async Task<string> JurisdictionOfAsync(string user)
    {
        await using var c = await centre.Db.OpenConnectionAsync();
        var code = await c.ExecuteScalarAsync<string>("SELECT jurisdiction_code FROM accounts WHERE username = @user", new { user });
        return code == "640000" ? "64" : code!.EndsWith("00", StringComparison.Ordinal) && code.Length == 6 ? code[..4] : code!;
    }

    /// <summary>A case in the demo county, a close contact of it living in the community account's community (else the county), and one living in the other county.</summary>
    internal async Task<((string Key, string Community) HomeCase, string HomeContact, string HomeContactCommunity, (string Key, string Community) OtherContact)> RecordsAsync()
    {
        await using var c = await centre.Db.OpenConnectionAsync();
        var community = await c.ExecuteScalarAsync<string>("SELECT jurisdiction_code FROM accounts WHERE username = 'community'");
        var homeCase = (await c.QueryAsync<(string Key, string Community)>(
            "SELECT p.person_key, p.community_code FROM cases k JOIN persons p ON p.id = k.person_id WHERE k.classification = 'confirmed' AND p.community_code LIKE @home ORDER BY p.person_key LIMIT 1",
            new { home = centre.HomeCounty + "%" })).Single();
        var home = (await c.QueryAsync<(string Key, string Community)>("""
            SELECT p.person_key, p.community_code FROM contacts k JOIN persons p ON p.id = k.person_id
            WHERE k.tier = 'close' AND p.community_code LIKE @home ORDER BY CASE WHEN p.community_code = @community THEN 0 ELSE 1 END, p.person_key LIMIT 1
            """, new { home = centre.HomeCounty + "%", community })).Single();
        var other = (await c.QueryAsync<(string Key, string Community)>("""
            SELECT p.person_key, p.community_code FROM contacts k JOIN persons p ON p.id = k.person_id
            WHERE k.tier = 'close' AND p.community_code LIKE @other ORDER BY p.person_key LIMIT 1
            """, new { other = centre.OtherCounty + "%" })).Single();
        return (homeCase, home.Key, home.Community, other);
    }
}

[Collection(nameof(SqliteCentreCollection))]
public sealed class AccessMatrixOnSqlite(SqliteCentre centre) : AccessMatrixTests(centre);

[Collection(nameof(PostgresCentreCollection))]
public sealed class AccessMatrixOnPostgres(PostgresCentre centre) : AccessMatrixTests(centre);
