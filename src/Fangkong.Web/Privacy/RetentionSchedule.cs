using Fangkong.Application;
using Fangkong.Application.Privacy;
using Fangkong.Policies;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fangkong.Web.Privacy;

/// <summary>
/// The server's own retention run (<see cref="RunRetention"/>): a few minutes after it starts, then every
/// <see cref="CommandCentreOptions.RetentionEvery"/> (a day by default), under the served profile, audited
/// as <c>retention-schedule</c> with channel <c>system</c>. A failed run is logged and tried again next time.
/// </summary>
internal sealed class RetentionSchedule(RunRetention retention, PolicyProfile policy, CommandCentreOptions options, ILogger<RetentionSchedule> log) : BackgroundService
{
    public static readonly TimeSpan FirstRunAfter = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var every = options.RetentionEvery ?? TimeSpan.FromDays(1);
        if (every <= TimeSpan.Zero)
        {
            return;
        }
        try
        {
            await Task.Delay(every < FirstRunAfter ? every : FirstRunAfter, stoppingToken);
            using var timer = new PeriodicTimer(every);
            do
            {
                try
                {
                    await retention.HandleAsync(Actor.System("retention-schedule"), policy, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    log.LogError(e, "the scheduled retention run failed; it runs again in {Every}", every);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
