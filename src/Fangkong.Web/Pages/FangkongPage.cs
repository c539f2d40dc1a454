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

    /// <summary>
    /// Why an export of a list the viewer sees with <paramref name="view"/> cannot be made now (403, or 400
    /// for an unknown format), or null. A list with personal data is exported only after the user has
    /// entered their password again within the deployment's window: until then the answer is the
    /// confirmation page, which comes back to this export.
    /// </summary>
    protected async Task<IActionResult?> ExportRefusalAsync(Viewer viewer, Permission view, string? format, bool personalData, CancellationToken ct)
    {
        if (!viewer.Can(view) || !viewer.Can(Permission.Export))
        {
            return Denied();
        }
        if (!ListExport.IsFormat(format))
        {
            return BadRequest();
        }
        if (personalData && !await Sessions.ConfirmedAsync(HttpContext, ct))
        {
            return Redirect("/confirm?returnUrl=" + Uri.EscapeDataString(Request.Path + Request.QueryString));
        }
        return null;
    }
}
