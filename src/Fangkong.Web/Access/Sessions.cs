using System.Security.Claims;
using Fangkong.Storage;
using Fangkong.Storage.Accounts;
using Fangkong.Web.Audit;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Fangkong.Web.Access;

/// <summary>
/// The command centre's sessions live on the server (<see cref="SessionRepository"/>): the cookie
/// carries the session's secret, and every request checks that the session is still open and within
/// the deployment's idle and absolute limits. Sign-out, a password reset and a deactivation end
/// sessions at once, whatever copies of the cookie exist.
/// </summary>
public static class Sessions
{
    public const string Claim = "fk:sid";

    /// <summary>Starts a session for the account and returns the claims its cookie carries.</summary>
    public static async Task<ClaimsPrincipal> StartAsync(HttpContext http, Fangkong.Storage.Accounts.Account account, CancellationToken ct)
    {
        var services = http.RequestServices;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().ToUnixTimeSeconds();
        var secret = await SessionRepository.StartAsync(services.GetRequiredService<Database>(), account.Id, now, http.Connection.RemoteIpAddress?.ToString() ?? "", ct);
        var identity = new ClaimsIdentity(Viewer.Of(account).ToClaims().Append(new Claim(Claim, secret)), CookieAuthenticationDefaults.AuthenticationScheme);
        return new ClaimsPrincipal(identity);
    }

    /// <summary>The cookie handler's check on every request: an ended, idle or too old session signs the request out.</summary>
    public static async Task ValidateAsync(CookieValidatePrincipalContext c)
    {
        var services = c.HttpContext.RequestServices;
        var secret = c.Principal?.FindFirstValue(Claim);
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().ToUnixTimeSeconds();
        var account = secret is null ? null
            : await SessionRepository.LiveAccountAsync(services.GetRequiredService<Database>(), secret, now, services.GetRequiredService<SessionLimits>(), c.HttpContext.RequestAborted);
        if (account is not null && account.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) == c.Principal?.FindFirstValue(ClaimTypes.NameIdentifier))
        {
            return;
        }
        c.RejectPrincipal();
        await c.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }

    /// <summary>Whether the request's session entered its password again recently enough for a bulk export of personal data.</summary>
    public static async Task<bool> ConfirmedAsync(HttpContext http, CancellationToken ct)
    {
        if (http.User.FindFirstValue(Claim) is not { } secret)
        {
            return false;
        }
        var services = http.RequestServices;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().ToUnixTimeSeconds();
        return await SessionRepository.ConfirmedWithinAsync(services.GetRequiredService<Database>(), secret, now, services.GetRequiredService<SessionLimits>().ExportConfirmation, ct);
    }

    /// <summary>Records that the request's session has just entered its password again.</summary>
    public static async Task ConfirmAsync(HttpContext http, CancellationToken ct)
    {
        if (http.User.FindFirstValue(Claim) is { } secret)
        {
            var services = http.RequestServices;
            await SessionRepository.ConfirmAsync(services.GetRequiredService<Database>(), secret, services.GetRequiredService<TimeProvider>().GetUtcNow().ToUnixTimeSeconds(), ct);
        }
    }

    /// <summary>Ends the request's own session (sign-out).</summary>
    public static async Task EndAsync(HttpContext http, CancellationToken ct)
    {
        if (http.User.FindFirstValue(Claim) is { } secret)
        {
            var services = http.RequestServices;
            await SessionRepository.EndAsync(services.GetRequiredService<Database>(), secret, services.GetRequiredService<TimeProvider>().GetUtcNow().ToUnixTimeSeconds(), "signed out", ct);
        }
    }
}
