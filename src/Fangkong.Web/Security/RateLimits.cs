using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;

namespace Fangkong.Web.Security;

/// <summary>
/// Two limits. Sign-in attempts per client address (10 a minute by default) on top of the per-account
/// lock-out, so that guessing across many accounts is slow too. And overload: at most a few requests
/// are processed at once (twice the cores), the rest wait in a bounded queue; beyond it the server
/// sheds load with 429 and Retry-After instead of falling over, and recovers by itself.
/// </summary>
public static class RateLimits
{
    public const string SignIn = "signin";
    public const int SignInPerMinute = 10;
    public const int QueueLimit = 2_000;

    public static int ConcurrentRequests { get; } = Math.Max(4, 2 * Environment.ProcessorCount);

    public static IServiceCollection AddRateLimits(this IServiceCollection services, int signInPerMinute) => services.AddRateLimiter(o =>
    {
        o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        o.OnRejected = (context, _) =>
        {
            context.HttpContext.Response.Headers.RetryAfter = context.HttpContext.Request.Path.StartsWithSegments("/signin", StringComparison.OrdinalIgnoreCase) ? "60" : "1";
            return ValueTask.CompletedTask;
        };
        o.AddPolicy(SignIn, http => RateLimitPartition.GetFixedWindowLimiter(
            http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = signInPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
            http.Request.Path.StartsWithSegments("/assets", StringComparison.OrdinalIgnoreCase)
                ? RateLimitPartition.GetNoLimiter("assets")
                : RateLimitPartition.GetConcurrencyLimiter("app", _ => new ConcurrencyLimiterOptions
                {
                    PermitLimit = ConcurrentRequests,
                    QueueLimit = QueueLimit,
                    QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                }));
    });
}
