using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Fangkong.Web.Pages;

/// <summary>What every page of the command centre answers when the role may not act: 403 in place (the error page), not a redirect.</summary>
public abstract class FangkongPage : PageModel
{
    protected IActionResult Denied() => StatusCode(StatusCodes.Status403Forbidden);
}
