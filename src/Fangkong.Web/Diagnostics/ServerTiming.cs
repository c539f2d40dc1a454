using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;

namespace Fangkong.Web.Diagnostics;

/// <summary>
/// Adds <c>Server-Timing: app;dur=…</c> (milliseconds from the request entering the pipeline to the
/// response starting) to every response, so that load tests and browsers' developer tools can tell
/// server time from network time.
/// </summary>
public static class ServerTiming
{
    public static IApplicationBuilder UseServerTiming(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var start = Stopwatch.GetTimestamp();
        context.Response.OnStarting(() =>
        {
            var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            context.Response.Headers["Server-Timing"] = "app;dur=" + ms.ToString("F1", CultureInfo.InvariantCulture);
            return Task.CompletedTask;
        });
        await next(context);
    });
}
