using Fangkong.Application;
using Fangkong.Application.Accounts;
using Fangkong.Storage;
using Fangkong.Storage.Accounts;
using Fangkong.Web.Access;
using Fangkong.Web.Text;
using Microsoft.AspNetCore.Mvc;

namespace Fangkong.Web.Pages.Tokens;

/// <summary>
/// The signed-in user's own API tokens (never their secrets): scope, expiry, last use, state, and a
/// button to revoke each live one. Tokens are issued by the operator ('fangkong admin create-token').
/// </summary>
public sealed class IndexModel(Database db, Viewer viewer, Actor actor, AccountAdmin accounts, UiText text, TimeProvider clock) : FangkongPage
{
    public IReadOnlyList<TokenInfo> Rows { get; private set; } = [];

    public long Now { get; private set; }

    public string Format(long t) => db.Calendar.ToLocal(t).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Now = clock.GetUtcNow().ToUnixTimeSeconds();
        Rows = await ApiTokenRepository.ListAsync(db, viewer.AccountId, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(long id, CancellationToken ct)
    {
        try
        {
            var token = await accounts.RevokeOwnTokenAsync(actor, viewer.AccountId, id, ct);
            TempData["message"] = text.F("tokens.revoked", token.Name);
        }
        catch (OutsideJurisdictionException)
        {
            return NotFound();
        }
        catch (Fangkong.Control.RefusedException e)
        {
            TempData["message"] = text.Refusal(e);
        }
        return RedirectToPage();
    }
}
