using System.Net;

namespace Fangkong.Tests.Web;

/// <summary>
/// A form posted to any page, with a valid anti-forgery token but missing, empty or nonsense fields,
/// gets the page's own answer (a message, 400, 403, 404, 409 or a redirect), never a server error.
/// </summary>
[Collection(nameof(SqliteCentreCollection))]
public sealed class MalformedFormTests(SqliteCentre centre)
{
    private static readonly string[] Pages =
        ["/", "/audit", "/cases", "/cases/new", "/cases/P0000002", "/contacts", "/control", "/control/P0000002", "/import", "/language", "/me", "/missing", "/signout", "/sites", "/tasks", "/tokens"];

    private static readonly string[] Handlers = ["", "move", "place", "release", "measure", "check", "sample", "result", "done", "export", "notify", "report", "nonsense"];

    [Theory]
    [InlineData("commander")]
    [InlineData("control")]
    [InlineData("resident")]
    public async Task EveryPage_AnswersABadForm_WithoutAServerError(string user)
    {
        using var client = await centre.SignedInAsync(user);
        var token = WebClient.TokenIn(await client.GetStringAsync(user == "resident" ? "/me" : "/"));
        var failures = new List<string>();
        foreach (var page in Pages.Where(p => p != "/signout"))
        {
            foreach (var handler in Handlers)
            {
                foreach (var fields in new[]
                {
                    new Dictionary<string, string>(),
                    new Dictionary<string, string> { ["to"] = "NaN", ["version"] = "x", ["temperature"] = "1e309", ["id"] = "-1", ["page"] = "abc", ["kind"] = "\u202E", ["personIds"] = "x,y" },
                })
                {
                    fields["__RequestVerificationToken"] = token;
                    var url = handler.Length == 0 ? page : $"{page}?handler={handler}";
                    var response = await client.Http.PostAsync(url, new FormUrlEncodedContent(fields));
                    if ((int)response.StatusCode >= 500)
                    {
                        failures.Add($"POST {url} ({fields.Count - 1} fields) → {(int)response.StatusCode}");
                    }
                }
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Theory]
    [InlineData("commander")]
    [InlineData("resident")]
    public async Task EveryPage_AnswersNonsenseQueryValues_WithoutAServerError(string user)
    {
        using var client = await centre.SignedInAsync(user);
        var failures = new List<string>();
        string[] queries = ["page=abc", "page=-5&size=99999999", "sort=%27%3B--&desc=maybe", "format=pdf&handler=export", "tier=%E2%80%AE&status=x", "q=" + new string('x', 5000), "handler=figures&page=1e9"];
        foreach (var page in Pages.Where(p => p != "/signout" && p != "/language"))
        {
            foreach (var query in queries)
            {
                var response = await client.GetAsync($"{page}?{query}");
                if ((int)response.StatusCode >= 500)
                {
                    failures.Add($"GET {page}?{query[..Math.Min(40, query.Length)]} → {(int)response.StatusCode}");
                }
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
