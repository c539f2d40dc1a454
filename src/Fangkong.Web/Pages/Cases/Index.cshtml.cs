using System.Globalization;
using Fangkong.Storage;
using Fangkong.Storage.Cases;
using Fangkong.Web.Access;
using Fangkong.Web.Audit;
using Fangkong.Web.Lists;
using Fangkong.Web.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Fangkong.Web.Pages.Cases;

/// <summary>One line of the case list as shown (already scoped: only cases in the viewer's jurisdiction are listed).</summary>
public sealed record CaseLine(string PersonKey, string Name, string Area, string Classification, string Onset, string Reported, long Close, long Secondary);

/// <summary>The case list: scoped to the viewer's jurisdiction, filtered, sorted, paged and exportable.</summary>
public sealed class IndexModel(Database db, Viewer viewer, UiText text, AuditTrail audit, JurisdictionDirectory directory, TimeProvider clock, FigureCache figures) : FangkongPage
{
    public ListQuery Query { get; private set; } = null!;

    public IReadOnlyList<CaseLine> Rows { get; private set; } = [];

    public long Total { get; private set; }

    public int Pages { get; private set; }

    public bool CanEdit => viewer.Can(Permission.EditCases);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!viewer.Can(Permission.ViewCases))
        {
            return Denied();
        }
        await LoadAsync(export: false, ct);
        await audit.RecordAsync("case.list", $"jurisdiction:{viewer.Jurisdiction.Value}", Request.QueryString.Value ?? "");
        return Page();
    }

    public async Task<IActionResult> OnGetExportAsync(string? format, CancellationToken ct)
    {
        if (await ExportRefusalAsync(viewer, Permission.ViewCases, format, personalData: true, ct) is { } refusal)
        {
            return refusal;
        }
        await LoadAsync(export: true, ct);
        string[] headers = [text["person.key"], text["person.name"], text["person.area"], text["cases.classification"], text["cases.onset"], text["cases.report"], text["cases.close"], text["cases.secondary"]];
        var rows = Rows.Select(r => (IReadOnlyList<string?>)[r.PersonKey, r.Name, r.Area, text["classification." + r.Classification], r.Onset, r.Reported,
            r.Close.ToString(CultureInfo.InvariantCulture), r.Secondary.ToString(CultureInfo.InvariantCulture)]);
        return await ListExport.FileAsync(format!, "cases", headers, rows, audit, viewer.Username, Request.QueryString.Value ?? "", clock, text);
    }

    private async Task LoadAsync(bool export, CancellationToken ct)
    {
        Query = new ListQuery(Request);
        var page = Query.Page with { Export = export };
        var counts = await figures.GetAsync("case-contacts", "", () => CaseList.ContactCountsAsync(db, CancellationToken.None));
        var found = await CaseList.FindAsync(db, new CaseFilter(viewer.PrefixWithin(Query["within"]), Query["classification"], Query["q"]), page, counts, ct);
        var lines = new List<CaseLine>(found.Rows.Count);
        foreach (var r in found.Rows)
        {
            lines.Add(new CaseLine(r.PersonKey, r.Name ?? "", await directory.DescribeAsync(r.Community, ct), r.Classification, r.OnsetDate ?? "—",
                db.Calendar.ToLocal(r.ReportTime).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), r.CloseContacts, r.SecondaryContacts));
        }
        Rows = lines;
        Total = found.Total;
        Pages = found.Pages;
    }
}
