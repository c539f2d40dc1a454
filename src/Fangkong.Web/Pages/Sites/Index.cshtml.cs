using Fangkong.Storage;
using Fangkong.Storage.Sites;
using Fangkong.Web.Access;
using Microsoft.AspNetCore.Mvc;

namespace Fangkong.Web.Pages.Sites;

/// <summary>Quarantine sites (集中隔离点) in the viewer's jurisdiction: rooms, reserve, occupancy now; one site's rooms with who is in them.</summary>
public sealed class IndexModel(Database db, Viewer viewer, JurisdictionDirectory directory) : FangkongPage
{
    public IReadOnlyList<SiteNow> Sites { get; private set; } = [];
    public IReadOnlyDictionary<string, string> Names { get; private set; } = new Dictionary<string, string>();
    public string? Site { get; private set; }
    public IReadOnlyList<RoomState> Rooms { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string? site, CancellationToken ct)
    {
        if (!viewer.Can(Permission.ViewSites))
        {
            return Denied();
        }
        Sites = await SiteList.NowAsync(db, viewer.Prefix, ct);
        Names = await directory.NamesAsync(ct);
        if (site is not null)
        {
            if (!Sites.Any(s => s.SiteKey == site))
            {
                return NotFound();
            }
            Site = site;
            Rooms = await SiteRepository.RoomsAsync(db, site, ct);
        }
        return Page();
    }
}
