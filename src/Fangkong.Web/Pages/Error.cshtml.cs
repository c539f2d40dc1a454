using Fangkong.Web.Api;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Fangkong.Web.Pages;

/// <summary>
/// The one error page: 404, 403, 429 and 500 in the user's language, never a stack trace. A request to
/// the API gets the same answer as problem+json instead (see <see cref="ApiErrors"/>).
/// </summary>
[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    public int Code { get; private set; }

    public async Task<IActionResult> OnGetAsync(int? code)
    {
        var error = HttpContext.Features.Get<IExceptionHandlerFeature>()?.Error;
        // A request the server could not read (too large, malformed) is the sender's to fix, not a failure.
        Code = error is BadHttpRequestException bad ? bad.StatusCode : code ?? (error is null ? 404 : 500);
        Response.StatusCode = Code;
        var original = HttpContext.Features.Get<IStatusCodeReExecuteFeature>()?.OriginalPath ?? HttpContext.Features.Get<IExceptionHandlerFeature>()?.Path;
        if (original is not null && original.StartsWith("/api", StringComparison.OrdinalIgnoreCase))
        {
            await ApiErrors.WriteAsync(HttpContext, Code, HttpContext.Features.Get<IExceptionHandlerFeature>()?.Error);
            return new EmptyResult();
        }
        return Page();
    }

    public Task<IActionResult> OnPostAsync(int? code) => OnGetAsync(code);

    public Task<IActionResult> OnPutAsync(int? code) => OnGetAsync(code);

    public Task<IActionResult> OnDeleteAsync(int? code) => OnGetAsync(code);
}
