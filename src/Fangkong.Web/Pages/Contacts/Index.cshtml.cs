using System.Globalization;
using Fangkong.Application.Control;
using Fangkong.Application;
using Fangkong.Control;
using Fangkong.Storage.Contacts;
using Fangkong.Storage.Control;
using Fangkong.Storage.Sites;
using Fangkong.Storage;
using Fangkong.Web.Access;
using Fangkong.Web.Audit;
using Fangkong.Web.Lists;
using Fangkong.Web.Text;
using Microsoft.AspNetCore.Mvc;

namespace Fangkong.Web.Pages.Contacts;

/// <summary>One line of the contact list as shown (only contacts living in the viewer's jurisdiction are listed).</summary>
public sealed record ContactLine(long PersonId, string Key, string Name, string Area, string Tier, string Case, string? Via, string Exposure, string? Status, string? Measure);

/// <summary>
/// Close and secondary contacts (密接、次密接) in the viewer's jurisdiction with their control status,
/// filtered, sorted, paged and exportable; bulk actions for control officers: notify the selected, or
/// place them in quarantine rooms (each household together).
/// </summary>
public sealed class IndexModel(Database db, Viewer viewer, Actor actor, BulkControl bulk, AuditTrail audit, UiText text, JurisdictionDirectory directory, TimeProvider clock, FigureCache figures) : FangkongPage
{
    public const int MaxBulk = 200;

    public ListQuery Query { get; private set; } = null!;
    public IReadOnlyList<ContactLine> Rows { get; private set; } = [];
    public long Total { get; private set; }
    public int Pages { get; private set; }
    public bool CanAct => viewer.Can(Permission.ControlPeople);
    public string? Message { get; private set; }
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!viewer.Can(Permission.ViewContacts))
        {
            return Denied();
        }
        await LoadAsync(export: false, ct);
        Message = TempData["message"] as string;
        await audit.RecordAsync("contact.list", $"jurisdiction:{viewer.Jurisdiction.Value}", Request.QueryString.Value ?? "");
        return Page();
    }

    public async Task<IActionResult> OnGetExportAsync(string? format, CancellationToken ct)
    {
        if (await ExportRefusalAsync(viewer, Permission.ViewContacts, format, personalData: true, ct) is { } refusal)
        {
            return refusal;
        }
        await LoadAsync(export: true, ct);
        string[] headers = [text["person.key"], text["person.name"], text["person.area"], text["contacts.tier"], text["contacts.case"], text["contacts.via"], text["contacts.overlap"], text["contacts.status"], text["control.measure"]];
        var rows = Rows.Select(r => (IReadOnlyList<string?>)[r.Key, r.Name, r.Area, text["tier." + r.Tier], r.Case, r.Via, r.Exposure,
            r.Status is null ? text["contacts.noOrder"] : text["status." + r.Status], r.Measure is null ? "" : text["measure." + r.Measure]]);
        return await ListExport.FileAsync(format!, "contacts", headers, rows, audit, viewer.Username, Request.QueryString.Value ?? "", clock, text);
    }

    /// <summary>Bulk action on the selected contacts: 'notify' moves identified orders to notified; 'place' puts them in rooms.</summary>
    public async Task<IActionResult> OnPostBulkAsync(string? action, long[] selected, CancellationToken ct)
    {
        if (!viewer.Can(Permission.ControlPeople))
        {
            return Denied();
        }
        if (selected.Length == 0 || selected.Length > MaxBulk || action is not ("notify" or "place"))
        {
            Error = selected.Length == 0 ? text["contacts.error.noneSelected"] : selected.Length > MaxBulk ? text.F("contacts.error.tooMany", MaxBulk) : text["contacts.error.action"];
            Response.StatusCode = 400;
            await LoadAsync(export: false, ct);
            return Page();
        }
        try
        {
            // The handler acts only on people in the viewer's jurisdiction, whatever the form says, and audits the action.
            var command = new BulkCommand(selected.Select(s => (int)s).ToList());
            if (action == "notify")
            {
                var done = await bulk.NotifyAsync(actor, command, ct);
                TempData["message"] = text.F("contacts.bulk.notified", done.Done, done.Left);
            }
            else
            {
                var done = await bulk.PlaceAsync(actor, command, ct);
                TempData["message"] = text.F("contacts.bulk.placed", done.Done, done.Left);
            }
        }
        catch (RefusedException e)
        {
            Error = text.F("control.refused", text.Refusal(e));
            Response.StatusCode = 409;
            await LoadAsync(export: false, ct);
            return Page();
        }
        return Redirect(new ListQuery(Request).With(("handler", null)));
    }

    private async Task LoadAsync(bool export, CancellationToken ct)
    {
        Query = new ListQuery(Request);
        var filter = new ContactFilter(viewer.PrefixWithin(Query["within"]), Query["tier"], Query["case"], Query["status"], Query["q"]);
        var found = await ContactList.FindAsync(db, filter, Query.Page with { Export = export },
            count => figures.GetAsync("contact-count", $"{filter.Prefix}|{filter.Tier}|{filter.CaseKey}|{filter.Status}|{filter.Text}", count), ct);
        var lines = new List<ContactLine>(found.Rows.Count);
        foreach (var r in found.Rows)
        {
            lines.Add(new ContactLine(r.PersonId, r.PersonKey, r.Name ?? "", await directory.DescribeAsync(r.Community, ct), r.Tier, r.IndexKey, r.ViaKey,
                $"{Time(r.ExposureStart)} – {Time(r.ExposureEnd)}", r.Status, r.Measure));
        }
        Rows = lines;
        Total = found.Total;
        Pages = found.Pages;
    }

    private string Time(long t) => db.Calendar.ToLocal(t).ToString("MM-dd HH:mm", CultureInfo.InvariantCulture);
}
