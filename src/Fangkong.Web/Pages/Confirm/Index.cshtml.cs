using Fangkong.Web.Access;
using Fangkong.Web.Accounts;
using Fangkong.Web.Audit;
using Fangkong.Web.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace Fangkong.Web.Pages.Confirm;

/// <summary>
/// The password entered again before a bulk export of personal data (二次验证). It is checked like a
/// sign-in (counted towards the lock-out of the account from this address, audited), and holds for
/// further exports of this session for the deployment's window; then the page goes on to the export.
/// </summary>
[EnableRateLimiting(RateLimits.SignIn)]
public sealed class IndexModel(Viewer viewer, SignInService signIn, AuditTrail audit, Fangkong.Storage.Accounts.SessionLimits limits) : FangkongPage
{
    public int Minutes => (int)Math.Ceiling(limits.ExportConfirmation.TotalMinutes);

    public bool Failed { get; private set; }

    public string ReturnUrl { get; private set; } = "/";

    public void OnGet(string? returnUrl) => ReturnUrl = Local(returnUrl);

    public async Task<IActionResult> OnPostAsync(string? password, string? returnUrl, CancellationToken ct)
    {
        ReturnUrl = Local(returnUrl);
        if (viewer.Role == Fangkong.Staff.StaffRole.Person
            || await signIn.TryAsync(viewer.Username, password ?? "", HttpContext.Connection.RemoteIpAddress?.ToString() ?? "", ct) is not { } account
            || account.Id != viewer.AccountId)
        {
            Failed = true;
            await audit.RecordAsync("export.confirm.failed", $"account:{viewer.Username}", DenialAudit.Sanitize(ReturnUrl));
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }
        await Sessions.ConfirmAsync(HttpContext, ct);
        await audit.RecordAsync("export.confirmed", $"account:{viewer.Username}", DenialAudit.Sanitize(ReturnUrl));
        return LocalRedirect(ReturnUrl);
    }

    /// <summary>Where to go on: a local address only (never another site).</summary>
    private string Local(string? url) => Url.IsLocalUrl(url) ? url : "/";
}
