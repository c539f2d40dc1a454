using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Dapper;
using Fangkong.Storage.Accounts;

namespace Fangkong.Tests.Web;

/// <summary>
/// Every role × every write path (the control page's steps, placement and release, the contacts' bulk
/// action, a case's classification, completing a task, an import; the API's move, place, release and
/// task done) × a record inside and one outside the account's jurisdiction. The answers are written out
/// by hand from SPEC 1 (who does what): a role that may not act gets 403, an outside record 404 exactly
/// like a missing one, and an inside record reaches the use case's own rule — every inside call here is
/// chosen to be refused by that rule (a stale version, a step the loop does not allow, a criterion not
/// met, an unknown classification), so that the matrix changes nothing and can be run again. After all
/// of it, no order, case or task outside has changed.
/// </summary>
public abstract class WritePathMatrixTests(CommandCentreFixture centre)
{
    private const int Ok = 200, Redirect = 302, BadRequest = 400, Forbidden = 403, NotFound = 404, Conflict = 409, Unprocessable = 422;

    /// <summary>Who moves people through the loop, places and releases them: commanders and control officers (隔离转运组).</summary>
    private static readonly HashSet<string> Control = ["commander", "control"];

    /// <summary>Who records and classifies cases: commanders and investigators (流调溯源组).</summary>
    private static readonly HashSet<string> Cases = ["commander", "investigator", CommandCentreFixture.Outsider];

    /// <summary>Who loads files: commanders and investigators.</summary>
    private static readonly HashSet<string> Imports = ["commander", "investigator", CommandCentreFixture.Outsider];

    /// <summary>Who works through tasks: every staff role but the auditor, who watches and changes nothing.</summary>
    private static readonly HashSet<string> Tasks = ["commander", "investigator", "control", "testing", "community", "checkpoint", "venue", CommandCentreFixture.Outsider];

    public static IEnumerable<object[]> Accounts => CommandCentreFixture.Roles.Append(CommandCentreFixture.Outsider).Select(r => new object[] { r });

    private sealed record Person(string Key, long Id, string Community);

    private sealed record TaskRow(long Id, string Owner, string Home);

    [Theory]
    [MemberData(nameof(Accounts))]
    public async Task EachRole_WritesOnlyWhatItMay_AndOnlyInside(string user)
    {
        var records = await RecordsAsync();
        var before = await FingerprintAsync(records);
        var prefix = await PrefixOfAsync(user);
        bool Inside(params string[] codes) => codes.Any(c => c.StartsWith(prefix, StringComparison.Ordinal));
        int Expect(HashSet<string> may, bool inside, int insideAnswer) => !may.Contains(user) ? Forbidden : inside ? insideAnswer : NotFound;

        using var web = await centre.SignedInAsync(user);
        using var api = await TokenClientAsync(user);
        var expected = new Dictionary<string, int>();
        var actual = new Dictionary<string, int>();
        async Task CallAsync(string name, int expect, Func<Task<HttpResponseMessage>> call)
        {
            expected[name] = expect;
            using var response = await call();
            actual[name] = (int)response.StatusCode;
        }

        foreach (var (where, person) in new[] { ("inside", records.Inside), ("outside", records.Outside) })
        {
            var inside = Inside(person.Community);
            var order = $"/control/{person.Key}";
            var page = user == "resident" ? "/me" : "/tasks";
            await CallAsync($"web move {where}", Expect(Control, inside, Conflict), () => web.PostFormAsync(page, $"{order}?handler=move", [new("to", "notified"), new("version", "-1")]));
            await CallAsync($"web place {where}", Expect(Control, inside, Conflict), () => web.PostFormAsync(page, $"{order}?handler=place", [new("site", CommandCentreFixture.TestSite)]));
            await CallAsync($"web release {where}", Expect(Control, inside, Conflict), () => web.PostFormAsync(page, $"{order}?handler=release", [new("version", "-1")]));
            await CallAsync($"api move {where}", Expect(Control, inside, Conflict), () => api.PostAsJsonAsync($"/api/v1{order}/move", new { to = "notified", expectedVersion = 999_999 }));
            await CallAsync($"api place {where}", Expect(Control, inside, Conflict), () => api.PostAsJsonAsync($"/api/v1{order}/place", new { site = CommandCentreFixture.TestSite }));
            await CallAsync($"api release {where}", Expect(Control, inside, Conflict), () => api.PostAsync($"/api/v1{order}/release", null));
            // An import that names the person and their own community: a no-op inside, a bad row outside.
            await CallAsync($"web import {where}", !Imports.Contains(user) ? Forbidden : inside ? Ok : Unprocessable,
                () => ImportAsync(web, page, $"person_id,community_code\n{person.Key},{person.Community}\n"));
            // The contacts' bulk action takes database ids from the form; whatever it names, it acts inside only (checked below).
            await CallAsync($"web bulk {where}", Control.Contains(user) ? Redirect : Forbidden,
                () => web.PostFormAsync(page, "/contacts?handler=bulk", [new("action", "notify"), new("selected", person.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))]));
        }

        foreach (var (where, person) in new[] { ("inside", records.InsideCase), ("outside", records.OutsideCase) })
        {
            await CallAsync($"web classify {where}", Expect(Cases, Inside(person.Community), BadRequest),
                () => web.PostFormAsync(user == "resident" ? "/me" : "/tasks", $"/cases/{person.Key}?handler=classify", [new("to", "not-a-classification")]));
        }

        foreach (var (where, task) in new[] { ("inside", records.InsideTask), ("outside", records.OutsideTask) })
        {
            var inside = Inside(task.Owner, task.Home);
            await CallAsync($"web task {where}", Expect(Tasks, inside, Conflict),
                () => web.PostFormAsync(user == "resident" ? "/me" : "/tasks", "/tasks?handler=done", [new("id", task.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)), new("version", "-1")]));
            await CallAsync($"api task {where}", Expect(Tasks, inside, Conflict),
                () => api.PostAsJsonAsync($"/api/v1/tasks/{task.Id}/done", new { note = "matrix", expectedVersion = 999_999 }));
        }

        var wrong = expected.Where(e => actual[e.Key] != e.Value).Select(e => $"{e.Key}: expected {e.Value}, got {actual[e.Key]}").ToList();
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        Assert.Equal(before, await FingerprintAsync(records));
    }

    [Fact]
    public async Task AnOutsideRecord_AnswersExactlyLikeAMissingOne()
    {
        var records = await RecordsAsync();
        using var api = await TokenClientAsync("control");
        async Task<string> BodyAsync(string key)
        {
            using var response = await api.PostAsJsonAsync($"/api/v1/control/{key}/move", new { to = "notified", expectedVersion = 1 });
            Assert.Equal(404, (int)response.StatusCode);
            return WithoutTrace(await response.Content.ReadAsStringAsync()).Replace(key, "KEY", StringComparison.Ordinal);
        }
        Assert.Equal(await BodyAsync("P9999999"), await BodyAsync(records.Outside.Key));
        using var task = await api.PostAsJsonAsync($"/api/v1/tasks/{records.OutsideTask.Id}/done", new { note = "x" });
        using var none = await api.PostAsJsonAsync("/api/v1/tasks/999999999/done", new { note = "x" });
        Assert.Equal(404, (int)task.StatusCode);
        Assert.Equal(404, (int)none.StatusCode);
        Assert.Equal(WithoutTrace(await none.Content.ReadAsStringAsync()).Replace("999999999", "N", StringComparison.Ordinal),
            WithoutTrace(await task.Content.ReadAsStringAsync()).Replace(records.OutsideTask.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "N", StringComparison.Ordinal));
    }

    /// <summary>A problem document without its per-request trace id.</summary>
    private static string WithoutTrace(string json)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
        node.Remove("traceId");
        return node.ToJsonString();
    }

    private static async Task<HttpResponseMessage> ImportAsync(WebClient client, string page, string csv)
    {
        var token = WebClient.TokenIn(await (await client.GetAsync(page)).Content.ReadAsStringAsync());
        using var form = new MultipartFormDataContent
        {
            { new StringContent("persons"), "kind" },
            { new StringContent(token), "__RequestVerificationToken" },
        };
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "persons.csv");
        return await client.Http.PostAsync("/import", form);
    }

    private async Task<HttpClient> TokenClientAsync(string user)
    {
        var account = await AccountRepository.FindAsync(centre.Db, user);
        var now = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        var (_, token) = await ApiTokenRepository.CreateAsync(centre.Db, account!.Id, "matrix", TokenScope.Write, now + 3600, now);
        var http = new HttpClient { BaseAddress = centre.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    /// <summary>The prefix of community codes inside the account's jurisdiction: "64" for the region, "6401" for a city, the county's or the community's code.</summary>
    private async Task<string> PrefixOfAsync(string user)
    {
        await using var c = await centre.Db.OpenConnectionAsync();
        var code = await c.ExecuteScalarAsync<string>("SELECT jurisdiction_code FROM accounts WHERE username = @user", new { user });
        return code == "640000" ? "64" : code!.Length == 6 && code.EndsWith("00", StringComparison.Ordinal) ? code[..4] : code;
    }

    private sealed record Records(Person Inside, Person Outside, Person InsideCase, Person OutsideCase, TaskRow InsideTask, TaskRow OutsideTask);

    /// <summary>
    /// A person under control, a case (confirmed, or the fixture's suspected one) and an open task in the demo county (in the community
    /// worker's community where it has one), and the same three in another county.
    /// </summary>
    private async Task<Records> RecordsAsync()
    {
        await using var c = await centre.Db.OpenConnectionAsync();
        var community = await c.ExecuteScalarAsync<string>("SELECT jurisdiction_code FROM accounts WHERE username = 'community'");
        var args = new { home = centre.HomeCounty + "%", community };
        async Task<Person> PersonAsync(string where) => await c.QueryFirstAsync<Person>($"""
            SELECT p.person_key AS Key, CAST(p.id AS BIGINT) AS Id, p.community_code AS Community FROM control_orders o JOIN persons p ON p.id = o.person_id
            WHERE o.active = 1 AND o.status = 'under_control' AND {where}
            ORDER BY CASE WHEN p.community_code = @community THEN 0 ELSE 1 END, p.person_key LIMIT 1
            """, args);
        async Task<Person> CaseAsync(string where) => await c.QueryFirstAsync<Person>($"""
            SELECT p.person_key AS Key, CAST(p.id AS BIGINT) AS Id, p.community_code AS Community FROM cases k JOIN persons p ON p.id = k.person_id
            WHERE k.classification IN ('confirmed', 'suspected') AND {where}
            ORDER BY CASE WHEN p.community_code = @community THEN 0 ELSE 1 END, p.person_key LIMIT 1
            """, args);
        async Task<TaskRow> TaskAsync(string where) => await c.QueryFirstAsync<TaskRow>($"""
            SELECT CAST(id AS BIGINT) AS Id, owner_jurisdiction AS Owner, home_jurisdiction AS Home FROM tasks
            WHERE status = 'open' AND {where}
            ORDER BY CASE WHEN home_jurisdiction = @community THEN 0 ELSE 1 END, id LIMIT 1
            """, args);
        return new Records(
            await PersonAsync("p.community_code LIKE @home"),
            await PersonAsync("p.community_code NOT LIKE @home"),
            await CaseAsync("p.community_code LIKE @home"),
            await CaseAsync("p.community_code NOT LIKE @home"),
            await TaskAsync("home_jurisdiction LIKE @home"),
            await TaskAsync("home_jurisdiction NOT LIKE @home AND owner_jurisdiction NOT LIKE @home AND owner_jurisdiction <> '640000'"));
    }

    /// <summary>Everything the matrix could have changed: the orders, cases and tasks it named, and the persons' communities.</summary>
    private async Task<string> FingerprintAsync(Records r)
    {
        await using var c = await centre.Db.OpenConnectionAsync();
        // Numbers only, written into the text (a list parameter is expanded differently by the two providers).
        var people = string.Join(",", new[] { r.Inside.Id, r.Outside.Id, r.InsideCase.Id, r.OutsideCase.Id });
        var ids = string.Join(",", new[] { r.InsideTask.Id, r.OutsideTask.Id });
        var orders = await c.QueryAsync<string>($"SELECT o.id || ':' || o.status || ':' || o.version FROM control_orders o WHERE o.person_id IN ({people}) ORDER BY o.id");
        var persons = await c.QueryAsync<string>($"SELECT id || ':' || community_code FROM persons WHERE id IN ({people}) ORDER BY id");
        var cases = await c.QueryAsync<string>($"SELECT person_id || ':' || classification FROM cases WHERE person_id IN ({people}) ORDER BY person_id");
        var tasks = await c.QueryAsync<string>($"SELECT id || ':' || status || ':' || version FROM tasks WHERE id IN ({ids}) ORDER BY id");
        return string.Join(";", orders.Concat(persons).Concat(cases).Concat(tasks));
    }
}

[Collection(nameof(SqliteCentreCollection))]
public sealed class WritePathMatrixOnSqlite(SqliteCentre centre) : WritePathMatrixTests(centre);

[Collection(nameof(PostgresCentreCollection))]
public sealed class WritePathMatrixOnPostgres(PostgresCentre centre) : WritePathMatrixTests(centre);
