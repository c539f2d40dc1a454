using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Fangkong.Storage.Accounts;

namespace Fangkong.Tests.Web;

/// <summary>
/// Every operation of the published OpenAPI document, called with nonsense: path parameters that are
/// empty-looking, huge, hidden characters or another county's key; query parameters of the wrong type
/// or absurd size; bodies that are missing, not JSON, of the wrong shape or with wrong types. The answer
/// is never a server error, and every error is problem+json. The routes come from the document itself,
/// so a new endpoint is fuzzed the day it is published.
/// </summary>
[Collection(nameof(SqliteCentreCollection))]
public sealed class OpenApiFuzzTests(SqliteCentre centre)
{
    /// <summary>
    /// Path values to try. A NUL byte (%00) in the path is refused by the web server itself with a bare
    /// 400 before any of the application runs: it is checked for "no server error" only.
    /// </summary>
    private static readonly string[] PathValues =
        ["x", "-1", "0", "9223372036854775808", "P0000001", "%E2%80%AE", "%00", "..%2F..%2Fetc", new string('9', 600), "%F0%A0%AE%B7"];

    private static readonly string[] QueryValues =
        ["abc", "-1", "1e309", "NaN", "", "%27%3B--", "%E2%80%AE", new string('x', 3000), "2021-13-45", "true"];

    private static readonly string?[] Bodies =
    [
        null, "", "{not json", "[]", "null", "42", "{}", """{"to":123,"site":[],"note":{"a":1},"version":"x"}""",
        """{"to":"released","site":"\u202Eq","note":"\u0000","version":-9223372036854775808}""",
        "{\"note\":\"" + new string('咳', 50_000) + "\"}", "{\"a\":" + string.Concat(Enumerable.Repeat("[", 2000)) + "}",
    ];

    [Theory]
    [InlineData("commander")]
    [InlineData("control")]
    [InlineData("resident")]
    public async Task EveryOperation_AnswersNonsense_WithProblemJson_NeverAServerError(string user)
    {
        var account = await AccountRepository.FindAsync(centre.Db, user);
        var now = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        var (_, token) = await ApiTokenRepository.CreateAsync(centre.Db, account!.Id, "fuzz", TokenScope.Write, now + 3600, now);
        using var http = new HttpClient { BaseAddress = centre.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var document = JsonDocument.Parse(await http.GetStringAsync("/openapi/v1.json"));
        var operations = Operations(document.RootElement).ToList();
        Assert.True(operations.Count >= 12, $"the document lists {operations.Count} operations");
        Assert.Contains(operations, o => o.Method == "POST");

        var failures = new List<string>();
        var calls = 0;
        foreach (var (method, template, pathParams, queryParams) in operations)
        {
            foreach (var url in Urls(template, pathParams, queryParams))
            {
                foreach (var body in method == "GET" ? [null] : Bodies)
                {
                    using var request = new HttpRequestMessage(new HttpMethod(method), url);
                    if (body is not null)
                    {
                        request.Content = new StringContent(body, Encoding.UTF8, "application/json");
                    }
                    using var response = await http.SendAsync(request);
                    calls++;
                    var status = (int)response.StatusCode;
                    var type = response.Content.Headers.ContentType?.MediaType;
                    if (status >= 500)
                    {
                        failures.Add($"{method} {Short(url)} body {Short(body)} → {status}");
                    }
                    else if (status >= 400 && type != "application/problem+json" && !url.Contains("%00", StringComparison.Ordinal))
                    {
                        failures.Add($"{method} {Short(url)} body {Short(body)} → {status} as {type}");
                    }
                }
            }
        }
        Assert.True(calls > 300, $"only {calls} calls");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(40)));
    }

    private static string Short(string? s) => s is null ? "(none)" : s.Length > 60 ? s[..60] + "…" : s;

    /// <summary>Each operation: its method, path template, path parameter names and query parameter names.</summary>
    private static IEnumerable<(string Method, string Template, string[] PathParams, string[] QueryParams)> Operations(JsonElement root)
    {
        foreach (var path in root.GetProperty("paths").EnumerateObject())
        {
            foreach (var op in path.Value.EnumerateObject())
            {
                if (op.Name is "parameters" or "summary" or "description")
                {
                    continue;
                }
                var parameters = op.Value.TryGetProperty("parameters", out var p) ? p.EnumerateArray().ToList() : [];
                string[] Named(string where) => [.. parameters.Where(x => x.GetProperty("in").GetString() == where).Select(x => x.GetProperty("name").GetString()!)];
                yield return (op.Name.ToUpperInvariant(), path.Name, Named("path"), Named("query"));
            }
        }
    }

    /// <summary>The template with each path value in every path parameter, and with every query value in each query parameter.</summary>
    private static IEnumerable<string> Urls(string template, string[] pathParams, string[] queryParams)
    {
        IEnumerable<string> paths = pathParams.Length == 0
            ? [template]
            : PathValues.Select(v => pathParams.Aggregate(template, (t, name) => t.Replace("{" + name + "}", v, StringComparison.Ordinal)));
        foreach (var path in paths)
        {
            yield return path;
        }
        var first = paths.First();
        foreach (var name in queryParams)
        {
            foreach (var value in QueryValues)
            {
                yield return $"{first}?{name}={value}";
            }
        }
        if (queryParams.Length > 0)
        {
            yield return $"{first}?{string.Join('&', queryParams.Select(n => $"{n}=1&{n}=2"))}";
        }
    }
}
