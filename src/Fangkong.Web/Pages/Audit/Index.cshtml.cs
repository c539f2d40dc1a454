using System.Globalization;
using Fangkong.Storage;
using Fangkong.Storage.Audit;
using Fangkong.Web.Access;
using Fangkong.Web.Audit;
using Fangkong.Web.Lists;
using Fangkong.Web.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Fangkong.Web.Pages.Audit;

/// <summary>The auditor's screen: search the audit log, and see whether its hash chain is intact.</summary>
public sealed class IndexModel(Database db, Viewer viewer, AuditTrail audit, UiText text, TimeProvider clock, AuditChainWatch chain) : FangkongPage
{
    public ListQuery Query { get; private set; } = null!;
    public IReadOnlyList<AuditRecord> Rows { get; private set; } = [];
    public long Total { get; private set; }
    public int Pages { get; private set; }
    public AuditVerification Verification { get; private set; } = null!;

    /// <summary>Audit times are real time, shown in the deployment's zone.</summary>
    public string Time(long t) => db.Calendar.ToLocal(t).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    public async Task<IActionResult> OnGetAsync(string? verify, CancellationToken ct)
    {
        if (!viewer.Can(Permission.ViewAuditLog))
        {
            return Denied();
        }
        await LoadAsync(export: false, ct);
        Verification = await chain.CheckAsync(full: verify == "full", ct);
        await audit.RecordAsync("audit.search", "audit_log", Request.QueryString.Value ?? "");
        return Page();
    }

    public async Task<IActionResult> OnGetExportAsync(string? format, CancellationToken ct)
    {
        if (await ExportRefusalAsync(viewer, Permission.ViewAuditLog, format, personalData: true, ct) is { } refusal)
        {
            return refusal;
        }
        await LoadAsync(export: true, ct);
        string[] headers = ["seq", text["audit.at"], text["audit.actor"], text["audit.action"], text["audit.target"], text["audit.detail"], text["audit.source"], text["audit.channel"], "prev_hash", "hash"];
        var rows = Rows.Select(r => (IReadOnlyList<string?>)[r.Seq.ToString(CultureInfo.InvariantCulture), Time(r.At), r.Actor, r.Action, r.Target, text.AuditDetail(r.Detail), r.Source, r.Channel, r.PrevHash, r.Hash]);
        return await ListExport.FileAsync(format!, "audit-log", headers, rows, audit, viewer.Username, Request.QueryString.Value ?? "", clock, text);
    }

    private async Task LoadAsync(bool export, CancellationToken ct)
    {
        Query = new ListQuery(Request);
        long? Day(string? text, int add) => DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? db.Calendar.StartOfDay(d.AddDays(add)) : null;
        var filter = new AuditFilter(viewer.Prefix, Query["actor"], Query["action"], Query["target"], Day(Query["from"], 0), Day(Query["to"], 1));
        var page = Query.Page with { Export = export };
        var (rows, total) = await AuditSearch.FindAsync(db, filter, page.Offset, page.Limit, ct);
        Rows = rows;
        Total = total;
        Pages = (int)Math.Max(1, (total + page.Limit - 1) / page.Limit);
    }
}
