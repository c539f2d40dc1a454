using System.Globalization;
using Fangkong.Storage;
using Fangkong.Storage.Sites;
using Fangkong.Web.Access;
using Fangkong.Web.Audit;
using Fangkong.Web.Lists;
using Fangkong.Web.Text;
using Microsoft.AspNetCore.Mvc;

namespace Fangkong.Web.Pages.Sites;

/// <summary>Quarantine sites (集中隔离点) in the viewer's jurisdiction: rooms, reserve, occupancy now; one site's rooms with who is in them.</summary>
public sealed class IndexModel(Database db, Viewer viewer, JurisdictionDirectory directory, AuditTrail audit, UiText text, TimeProvider clock, FigureCache figures) : FangkongPage
{
    public IReadOnlyList<SiteNow> Sites { get; private set; } = [];
    public IReadOnlyDictionary<string, string> Names { get; private set; } = new Dictionary<string, string>();
    public string? Site { get; private set; }
    public IReadOnlyList<RoomState> Rooms { get; private set; } = [];
    public ListQuery Query { get; private set; } = null!;

    public static int Free(SiteNow s) => s.Rooms - s.ReserveRooms - s.OccupiedRooms;

    /// <summary>Sites in the order asked for: by key (default), free rooms, or occupants.</summary>
    private List<SiteNow> Sorted(List<SiteNow> sites)
    {
        var p = Query.Page;
        Func<SiteNow, object> key = p.Sort switch { "free" => s => Free(s), "occupants" => s => s.Occupants, _ => s => s.SiteKey };
        return (p.Descending ? sites.OrderByDescending(key) : sites.OrderBy(key)).ToList();
    }

    public async Task<IActionResult> OnGetExportAsync(string? format, CancellationToken ct)
    {
        if (await ExportRefusalAsync(viewer, Permission.ViewSites, format, personalData: false, ct) is { } refusal)
        {
            return refusal;
        }
        Query = new ListQuery(Request);
        Names = await directory.NamesAsync(ct);
        var sites = Sorted(await SiteList.NowAsync(db, viewer.Prefix, ct));
        string[] headers = [text["sites.key"], text["sites.name"], text["person.area"], text["sites.rooms"], text["sites.household"], text["sites.reserve"], text["sites.occupied"], text["sites.occupants"], text["sites.free"]];
        string N(int n) => n.ToString(CultureInfo.InvariantCulture);
        var rows = sites.Select(s => (IReadOnlyList<string?>)[s.SiteKey, s.Name, Names.GetValueOrDefault(s.County, s.County), N(s.Rooms), N(s.HouseholdRooms), N(s.ReserveRooms), N(s.OccupiedRooms), N(s.Occupants), N(Free(s))]);
        return await ListExport.FileAsync(format!, "quarantine-sites", headers, rows, audit, viewer.Username, Request.QueryString.Value ?? "", clock, text);
    }

    public async Task<IActionResult> OnGetAsync(string? site, CancellationToken ct)
    {
        if (!viewer.Can(Permission.ViewSites))
        {
            return Denied();
        }
        Query = new ListQuery(Request);
        Sites = Sorted(await figures.GetAsync("sites", viewer.Prefix, () => SiteList.NowAsync(db, viewer.Prefix, CancellationToken.None)));
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
