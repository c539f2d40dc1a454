using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Fangkong.Web.Pages;

public sealed class ForbiddenModel : PageModel
{
    public IActionResult OnGet() => Page();
}
