using System.Security.Claims;
using Fangkong.Web.Access;
using Fangkong.Web.Accounts;
using Fangkong.Web.Security;
using Fangkong.Web.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Fangkong.Web.Pages;

[EnableRateLimiting(RateLimits.SignIn)]
public sealed class SignInModel(SignInService signIn) : PageModel
{
    public bool Failed { get; private set; }

    public string Username { get; private set; } = "";

    public string ReturnUrl { get; private set; } = "/";

    public void OnGet(string? returnUrl) => ReturnUrl = Url.IsLocalUrl(returnUrl) ? returnUrl : "/";

    public async Task<IActionResult> OnPostAsync(string? username, string? password, string? returnUrl, CancellationToken ct)
    {
        Username = (username ?? "").Trim();
        ReturnUrl = Url.IsLocalUrl(returnUrl) ? returnUrl : "/";
        var account = await signIn.TryAsync(Username, password ?? "", HttpContext.Connection.RemoteIpAddress?.ToString() ?? "", ct);
        if (account is null)
        {
            Failed = true;
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, await Sessions.StartAsync(HttpContext, account, ct));
        Response.Cookies.Append(UiText.Cookie, Texts.Normalize(account.Language), new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, IsEssential = true, MaxAge = TimeSpan.FromDays(365), Secure = Request.IsHttps });
        return LocalRedirect(ReturnUrl);
    }
}
