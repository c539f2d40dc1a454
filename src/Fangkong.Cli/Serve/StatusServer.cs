using System.Net;
using Fangkong.Cases;
using Fangkong.Storage;
using Fangkong.Storage.Cases;
using Fangkong.Storage.Checkins;
using Fangkong.Storage.People;
using Fangkong.Storage.Venues;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Fangkong.Cli.Serve;

/// <summary>The store's figures, as shown on the status page and returned by <c>/api/v1/status</c>.</summary>
internal sealed record StoreStatus(string Store, long Persons, long Venues, long Checkins, int CheckinDays, long Cases, long Confirmed, long Asymptomatic);

/// <summary>
/// A minimal status page over the store, served until the command centre (the web issue) replaces
/// it: figures in Simplified Chinese (English with <c>?lang=en</c>) and the same as JSON.
/// </summary>
internal static class StatusServer
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public static async Task<StoreStatus> ReadAsync(Database db, CancellationToken ct)
    {
        var cases = await CaseRepository.LoadAllAsync(db, ct);
        var days = await (await CheckinStores.OpenAsync(db, ct)).ListDaysAsync(ct);
        return new StoreStatus(
            db.Location.ToString(),
            await PersonRepository.CountAsync(db, ct),
            (await VenueRepository.LoadAllAsync(db, ct)).Count,
            days.Sum(d => d.Rows),
            days.Count,
            cases.Count(c => c.Classification != CaseClassification.NotACase),
            cases.Count(c => c.Classification == CaseClassification.Confirmed),
            cases.Count(c => c.Classification == CaseClassification.Asymptomatic));
    }

    public static async Task RunAsync(Database db, string url, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        await using var app = builder.Build();
        app.MapGet("/api/v1/status", async (CancellationToken rt) => Results.Json(await ReadAsync(db, rt)));
        app.MapGet("/", async (HttpContext http, CancellationToken rt) =>
        {
            var en = string.Equals(http.Request.Query["lang"], "en", StringComparison.Ordinal);
            var s = await ReadAsync(db, rt);
            http.Response.Headers.ContentSecurityPolicy = "default-src 'self'; style-src 'unsafe-inline'";
            http.Response.Headers.XContentTypeOptions = "nosniff";
            return Results.Content(Page(s, en), "text/html; charset=utf-8");
        });
        await app.StartAsync(ct);
        System.Console.WriteLine($"Fangkong is serving {url}/  (Ctrl-C stops it)");
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        catch (OperationCanceledException)
        {
        }
        await app.StopAsync(CancellationToken.None);
    }

    private static string Page(StoreStatus s, bool en)
    {
        string L(string zh, string english) => WebUtility.HtmlEncode(en ? english : zh);
        string Row(string zh, string english, long value) => $"<tr><th>{L(zh, english)}</th><td>{value:N0}</td></tr>";
        return $$"""
            <!doctype html>
            <html lang="{{(en ? "en" : "zh-CN")}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <link rel="icon" href="data:,"><title>{{L("防控指挥平台", "Fangkong command centre")}}</title>
            <style>body{font-family:"Noto Sans CJK SC",sans-serif;margin:2rem;max-width:40rem}th{text-align:left;padding-right:2rem}td{text-align:right}</style></head>
            <body><h1>{{L("防控指挥平台 · 运行状态", "Fangkong · status")}}</h1>
            <p>{{L("数据库", "Store")}}: <code>{{WebUtility.HtmlEncode(s.Store)}}</code></p>
            <table>
            {{Row("人员", "People", s.Persons)}}{{Row("场所", "Venues", s.Venues)}}{{Row("扫码记录", "Check-ins", s.Checkins)}}{{Row("扫码天数", "Days of check-ins", s.CheckinDays)}}
            {{Row("病例", "Cases", s.Cases)}}{{Row("确诊病例", "Confirmed cases", s.Confirmed)}}{{Row("无症状感染者", "Asymptomatic infections", s.Asymptomatic)}}
            </table>
            <p><a href="{{(en ? "/" : "/?lang=en")}}">{{(en ? "中文" : "English")}}</a> · <a href="/api/v1/status">JSON</a></p>
            </body></html>
            """;
    }
}
