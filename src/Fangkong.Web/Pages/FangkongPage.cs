using Fangkong.Web.Access;
using Fangkong.Web.Lists;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Fangkong.Web.Pages;

/// <summary>What every page of the command centre answers when the role may not act: 403 in place (the error page), not a redirect.</summary>
public abstract class FangkongPage : PageModel
{
    protected IActionResult Denied() => StatusCode(StatusCodes.Status403Forbidden);

    /// <summary>Why an export of a list the viewer sees with <paramref name="view"/> cannot be made (403, or 400 for an unknown format), or null.</summary>
    protected IActionResult? ExportRefusal(Viewer viewer, Permission view, string? format) =>
        !viewer.Can(view) || !viewer.Can(Permission.Export) ? Denied()
        : !ListExport.IsFormat(format) ? BadRequest()
        : null;
}
