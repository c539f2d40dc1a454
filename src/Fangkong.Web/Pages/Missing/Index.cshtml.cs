using System.Globalization;
using Fangkong.Storage;
using Fangkong.Storage.Control;
using Fangkong.Web.Access;
using Fangkong.Web.Audit;
using Fangkong.Web.Lists;
using Fangkong.Web.Text;
using Microsoft.AspNetCore.Mvc;

namespace Fangkong.Web.Pages.Missing;

/// <summary>"Who is missing?" (不漏一人): the completeness audit for the viewer's jurisdiction, by kind, with who answers for each gap.</summary>
public sealed class IndexModel(Database db, Viewer viewer, AuditTrail audit, UiText text, TimeProvider clock) : FangkongPage
{
    public ListQuery Query { get; private set; } = null!;
    public IReadOnlyList<MissingRow> Rows { get; private set; } = [];
    public IReadOnlyDictionary<string, int> ByKind { get; private set; } = new Dictionary<string, int>();
    public long Total { get; private set; }
    public int Pages { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!viewer.Can(Permission.ViewMissing))
        {
            return Denied();
        }
        await LoadAsync(export: false, ct);
        return Page();
    }

    public async Task<IActionResult> OnGetExportAsync(string? format, CancellationToken ct)
    {
        if (await ExportRefusalAsync(viewer, Permission.ViewMissing, format, personalData: true, ct) is { } refusal)
        {
            return refusal;
        }
        await LoadAsync(export: true, ct);
        string[] headers = [text["missing.kind"], text["person.key"], text["person.name"], text["control.order"], text["audit.detail"], text["missing.answerable"]];
        var rows = Rows.Select(r => (IReadOnlyList<string?>)[text["missing.kind." + r.Kind], r.PersonKey, r.Name, r.OrderId?.ToString(CultureInfo.InvariantCulture), text.Render(r.Said), r.Answerable]);
        return await ListExport.FileAsync(format!, "who-is-missing", headers, rows, audit, viewer.Username, Request.QueryString.Value ?? "", clock, text);
    }

    private async Task LoadAsync(bool export, CancellationToken ct)
    {
        Query = new ListQuery(Request);
        var kind = Query["kind"] is { } k && MissingAudit.Kinds.Contains(k) ? k : null;
        var all = await MissingAudit.RunAsync(db, viewer.Jurisdiction, null, ct: ct);
        ByKind = all.GroupBy(r => r.Kind).ToDictionary(g => g.Key, g => g.Count());
        var rows = kind is null ? all : all.Where(r => r.Kind == kind).ToList();
        var page = Query.Page with { Export = export };
        Total = rows.Count;
        Pages = (int)Math.Max(1, (Total + page.Limit - 1) / page.Limit);
        Rows = rows.Skip(page.Offset).Take(page.Limit).ToList();
    }
}
