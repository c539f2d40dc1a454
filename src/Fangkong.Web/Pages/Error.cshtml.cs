using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Fangkong.Web.Pages;

/// <summary>The one error page: 404, 403, 429 and 500 in the user's language, never a stack trace.</summary>
[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    public int Code { get; private set; }

    public void OnGet(int? code) => Code = code ?? (HttpContext.Features.Get<IExceptionHandlerFeature>() is null ? 404 : 500);

    public void OnPost(int? code) => OnGet(code);
}
