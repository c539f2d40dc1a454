using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Fangkong.Storage.Accounts;
using Fangkong.Storage.People;

namespace Fangkong.Tests.Web;

/// <summary>
/// One document number is one person, on every channel that takes people in: the import page, the API's
/// import and registration, and the review of possible duplicates (page and API) — nothing merges by itself.
/// </summary>
[Collection(nameof(SqliteCentreCollection))]
public sealed class IdentityChannelsTests(SqliteCentre centre)
{
    private async Task<(string Key, string IdNumber, string Name)> SomeoneAtHomeAsync()
    {
        await using var c = await centre.Db.OpenConnectionAsync();
        var row = await c.QueryFirstAsync<(string, string, string)>(
            "SELECT person_key, id_number, name FROM persons WHERE community_code LIKE @like AND id_type = 'resident_id' AND merged_into IS NULL ORDER BY id LIMIT 1",
            new { like = centre.HomeCounty + "%" });
        return row;
    }

    private async Task<HttpClient> TokenClientAsync(string user)
    {
        var account = await AccountRepository.FindAsync(centre.Db, user);
        var now = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        var (_, token) = await ApiTokenRepository.CreateAsync(centre.Db, account!.Id, "identity " + Guid.NewGuid().ToString("N")[..6], TokenScope.Write, now + 86400, now);
        var http = new HttpClient { BaseAddress = centre.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private static async Task<HttpResponseMessage> UploadAsync(WebClient client, string csv)
    {
        var token = WebClient.TokenIn(await client.GetStringAsync("/import"));
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

    [Fact]
    public async Task ImportPage_RefusesAnotherNameUnderAKnownNumber_AndJoinsTheSameOne()
    {
        var (key, number, name) = await SomeoneAtHomeAsync();
        using var client = await centre.SignedInAsync("investigator");
        var newKey = "WEB-" + Guid.NewGuid().ToString("N")[..8];
        var refused = await UploadAsync(client, $"person_id,id_number,name,community_code\n{newKey},{number},另一人,{centre.HomeCounty}\n");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var html = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        Assert.Contains($"<td>2</td><td>id_number</td><td>{newKey} 的证件号码已属于 {key}，但姓名不同", html, StringComparison.Ordinal);
        Assert.Null(await PersonRepository.FindAsync(centre.Db, newKey));
        Assert.Equal(name, (await PersonRepository.FindAsync(centre.Db, key))!.Person.Name);

        var joined = await UploadAsync(client, $"person_id,id_number,name\n{newKey},{number},{name}\n");
        Assert.Equal(HttpStatusCode.OK, joined.StatusCode);
        Assert.Contains("其中 1 行按证件号码并入已有人员", await joined.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(key, (await PersonRepository.FindAsync(centre.Db, newKey))!.Person.PersonKey);
    }

    [Fact]
    public async Task Api_ImportAndRegistration_RefuseAKnownNumberUnderAnotherName()
    {
        var (key, number, _) = await SomeoneAtHomeAsync();
        using var http = await TokenClientAsync("investigator");
        var newKey = "API-" + Guid.NewGuid().ToString("N")[..8];
        var response = await http.PostAsync("/api/v1/imports/persons", new StringContent($"person_id,id_number,name,community_code\n{newKey},{number},另一人,{centre.HomeCounty}\n", Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal(2, error.GetProperty("line").GetInt64());
        Assert.Equal("id_number", error.GetProperty("column").GetString());
        Assert.Equal("idConflict.name", error.GetProperty("code").GetString());
        Assert.Contains(key, error.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Null(await PersonRepository.FindAsync(centre.Db, newKey));

        var register = await http.PostAsJsonAsync("/api/v1/people", new { name = "另一人", idNumber = number, communityCode = centre.HomeCounty });
        Assert.Equal(HttpStatusCode.Conflict, register.StatusCode);
        Assert.Contains(key, (await register.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);

        var bad = await http.PostAsJsonAsync("/api/v1/people", new { name = "某人", phone = "123", communityCode = centre.HomeCounty });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("phone", (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());

        var kind = await http.PostAsync("/api/v1/imports/people", new StringContent("person_id\nx\n", Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.BadRequest, kind.StatusCode);
    }

    [Fact]
    public async Task Duplicates_AreListedForReview_AndMergedOnlyByAPersonsChoice()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var (a, b) = ("DUP-A-" + tag, "DUP-B-" + tag);
        var phone = "139" + Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var http = await TokenClientAsync("investigator");
        var imported = await http.PostAsync("/api/v1/imports/persons",
            new StringContent($"person_id,name,phone,community_code\n{a},复查{tag},{phone},{centre.HomeCounty}\n{b},复查{tag},{phone},{centre.HomeCounty}\n", Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        Assert.Equal(2, (await imported.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("written").GetInt64());

        var listed = await http.GetFromJsonAsync<JsonElement>("/api/v1/people/duplicates?size=500");
        var group = listed.GetProperty("rows").EnumerateArray().Single(g => g.GetProperty("phone").GetString() == phone);
        Assert.Equal([a, b], group.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("personKey").GetString()!).ToArray());
        Assert.NotEqual((await PersonRepository.FindAsync(centre.Db, a))!.Id, (await PersonRepository.FindAsync(centre.Db, b))!.Id);

        using var client = await centre.SignedInAsync("investigator");
        var page = await client.GetStringAsync("/people/duplicates?page=" + Pages(listed, phone));
        Assert.Contains($"data-testid=\"duplicate-{b}\"", page, StringComparison.Ordinal);
        var merged = await client.PostFormAsync("/people/duplicates", "/people/duplicates?handler=Merge", [new("keep", b), new("members", a), new("members", b)]);
        Assert.Equal(HttpStatusCode.Redirect, merged.StatusCode);
        Assert.Equal(b, (await PersonRepository.FindAsync(centre.Db, a))!.Person.PersonKey);
        var after = await http.GetFromJsonAsync<JsonElement>("/api/v1/people/duplicates?size=500");
        Assert.DoesNotContain(after.GetProperty("rows").EnumerateArray(), g => g.GetProperty("phone").GetString() == phone);
    }

    /// <summary>The page of the duplicates screen (20 groups a page) that shows the group with this phone.</summary>
    private static int Pages(JsonElement listed, string phone)
    {
        var index = listed.GetProperty("rows").EnumerateArray().Select((g, i) => (g, i)).Single(x => x.g.GetProperty("phone").GetString() == phone).i;
        return index / Fangkong.Web.Pages.People.DuplicatesModel.PageSize + 1;
    }
}
