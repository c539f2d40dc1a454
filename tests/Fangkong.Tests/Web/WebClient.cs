using System.Net;
using System.Text.RegularExpressions;

namespace Fangkong.Tests.Web;

/// <summary>
/// An HTTP client for the command centre with its own cookies: it reads the anti-forgery token from
/// a page's form before posting, as a browser would.
/// </summary>
public sealed partial class WebClient : IDisposable
{
    private readonly HttpClient _http;

    public WebClient(Uri baseAddress)
    {
        var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false, UseCookies = true };
        _http = new HttpClient(handler) { BaseAddress = baseAddress };
    }

    public HttpClient Http => _http;

    public Task<HttpResponseMessage> GetAsync(string url) => _http.GetAsync(url);

    public async Task<string> GetStringAsync(string url)
    {
        var response = await _http.GetAsync(url);
        Assert.True(response.IsSuccessStatusCode, $"GET {url} → {(int)response.StatusCode}");
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Posts a form found on <paramref name="page"/> (its anti-forgery token included) to <paramref name="action"/>.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string page, string action, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var html = await (await _http.GetAsync(page)).Content.ReadAsStringAsync();
        var token = TokenIn(html);
        Assert.False(string.IsNullOrEmpty(token), $"no anti-forgery token on {page}");
        return await _http.PostAsync(action, new FormUrlEncodedContent([.. fields, new("__RequestVerificationToken", token)]));
    }

    /// <summary>The anti-forgery token of the (first) form on a page.</summary>
    public static string TokenIn(string html) => TokenPattern().Match(html).Groups[1].Value;

    public Task<HttpResponseMessage> SignInAsync(string user, string password) =>
        PostFormAsync("/signin", "/signin", [new("username", user), new("password", password)]);

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    public void Dispose() => _http.Dispose();
}
