using Microsoft.Extensions.DependencyInjection;
using Fangkong.Web.Access;
using Fangkong.Web.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Fangkong.Web.Pages;

/// <summary>Switches the interface language; a signed-in user's choice is kept with the account.</summary>
public sealed class LanguageModel(Fangkong.Application.Accounts.SetLanguage setLanguage) : PageModel
{
    public IActionResult OnGet() => Redirect("/");

    public async Task<IActionResult> OnPostAsync(string? lang, string? back, CancellationToken ct)
    {
        var language = Texts.Normalize(lang);
        Response.Cookies.Append(UiText.Cookie, language, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, IsEssential = true, MaxAge = TimeSpan.FromDays(365), Secure = Request.IsHttps });
        if (Viewer.FromPrincipal(User) is { } viewer)
        {
            // The actor exists only for a signed-in user (this page also serves the sign-in page), so it is resolved here, not injected.
            await setLanguage.HandleAsync(HttpContext.RequestServices.GetRequiredService<Fangkong.Application.Actor>(), viewer.AccountId, language, ct);
        }
        return LocalRedirect(Url.IsLocalUrl(back) ? back : "/");
    }
}
