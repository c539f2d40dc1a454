using Fangkong.Application.Tracing;
using Fangkong.Storage.Tracing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fangkong.Web.Tracing;

/// <summary>
/// The server's tracing in the background: first the stays are read into memory (<see cref="LiveStays"/>),
/// then every re-trace asked for — by a case recorded, confirmed or reclassified in the browser or the API,
/// or left pending when the server last stopped — runs behind the answer (<see cref="TraceBehind"/>).
/// </summary>
internal sealed class TraceWorker(LiveStays live, TraceBehind behind, ILogger<TraceWorker> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            await live.WarmAsync(stoppingToken);
            if (log.IsEnabled(LogLevel.Information))
            {
                log.LogInformation("tracing index in memory: {Checkins} check-ins, {Grid} grid stays in {Seconds:F1} s",
                live.Count(Storage.Checkins.StayKind.Checkins), live.Count(Storage.Checkins.StayKind.GridStays), watch.Elapsed.TotalSeconds);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Read again at the first trace.
            log.LogError(e, "reading the stays into memory failed");
        }
        await behind.RunAsync(stoppingToken);
    }
}
