using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;

namespace Fangkong.Web.Security;

/// <summary>
/// Sign-in attempts are limited per client address (10 a minute) on top of the per-account lock-out,
/// so that guessing across many accounts is slow too. Over the limit: 429 with Retry-After.
/// </summary>
public static class SignInRateLimits
{
    public const string Policy = "signin";
    public const int PerMinute = 10;

    public static IServiceCollection AddSignInRateLimits(this IServiceCollection services, int perMinute) => services.AddRateLimiter(o =>
    {
        o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        o.OnRejected = (context, _) =>
        {
            context.HttpContext.Response.Headers.RetryAfter = "60";
            return ValueTask.CompletedTask;
        };
        o.AddPolicy(Policy, http => RateLimitPartition.GetFixedWindowLimiter(
            http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
    });
}
