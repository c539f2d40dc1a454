using System.Globalization;
using Fangkong.Application.Control;
using Fangkong.Application;
using Fangkong.Control;
using Fangkong.Policies;
using Fangkong.Storage.Control;
using Fangkong.Storage.People;
using Fangkong.Storage;
using Fangkong.Text;
using Fangkong.Web.Access;
using Fangkong.Web.Audit;
using Fangkong.Web.Text;
using Microsoft.AspNetCore.Mvc;

namespace Fangkong.Web.Pages.Me;

/// <summary>
/// A member of the public's own page (个人责任): their control order and what it asks of them (measure,
/// planned end, test days and results), and a daily health self-report (temperature, symptoms) that
/// reaches their monitor like a check made on them (a fever raises an urgent task).
/// </summary>
public sealed class IndexModel(Database db, Viewer viewer, Actor actor, RecordHealthCheck check, AuditTrail audit, UiText text, JurisdictionDirectory jurisdictions) : FangkongPage
{
    /// <summary>How many of the latest looks at the record by others the page lists.</summary>
    public const int ViewsShown = 50;

    /// <summary>Who looked at this person's record (their own looks left out): time, channel, role and unit.</summary>
    public IReadOnlyList<(string At, string Channel, string Who, string Unit)> Views { get; private set; } = [];
    public long ViewCount { get; private set; }

    public string Name { get; private set; } = "";
    public string Key { get; private set; } = "";
    public ControlOrder? Order { get; private set; }
    public IReadOnlyList<TestSlot> Tests { get; private set; } = [];
    public string? Message { get; private set; }
    public string? Error { get; private set; }

    public static string Date(DateOnly? d) => d is null || d == DateOnly.MaxValue ? "—" : d.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!viewer.Can(Permission.ViewOwnRecord) || viewer.PersonId is null)
        {
            return Denied();
        }
        await LoadAsync(ct);
        Message = TempData["message"] as string;
        return Page();
    }

    public async Task<IActionResult> OnPostReportAsync(string? temperature, string? symptoms, CancellationToken ct)
    {
        if (!viewer.Can(Permission.ViewOwnRecord) || viewer.PersonId is null)
        {
            return Denied();
        }
        await LoadAsync(ct);
        if (!double.TryParse(temperature, NumberStyles.Float, CultureInfo.InvariantCulture, out var t) || !double.IsFinite(t) || t is < 34 or > 43)
        {
            Error = text["me.error.temperature"];
            Response.StatusCode = 400;
            return Page();
        }
        if (Order is null)
        {
            Error = text["me.noOrder"];
            Response.StatusCode = 409;
            return Page();
        }
        try
        {
            await check.HandleAsync(actor, new HealthCheckCommand(Key, t, string.IsNullOrWhiteSpace(symptoms) ? null : symptoms.Trim()), ct);
        }
        catch (RefusedException e)
        {
            Error = text.F("control.refused", text.Refusal(e));
            Response.StatusCode = 409;
            return Page();
        }
        TempData["message"] = text["me.reported"];
        return Redirect("/me");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var person = (await PersonRepository.LoadByIdsAsync(db, [(int)viewer.PersonId!.Value], ct)).Single();
        Name = person.Person.Name ?? "";
        Key = person.Person.PersonKey;
        Order = await ControlRepository.ActiveForAsync(db, person.Id, ct);
        Tests = Order is null ? [] : await ControlRepository.TestsAsync(db, Order.Id, ct);
        var (views, count) = await Fangkong.Storage.Audit.AuditSearch.ViewsOfAsync(db, $"person:{Key}", viewer.Username, ViewsShown, ct);
        var names = await jurisdictions.NamesAsync(ct);
        Views = [.. views.Select(v => (
            db.Calendar.ToLocal(v.At).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
            text["channel." + (v.Channel is "api" or "cli" ? v.Channel : "web")],
            Fangkong.Staff.StaffRoles.TryParse(v.Role, out var role) ? text["role." + role] : text["me.views.operator"],
            v.Jurisdiction is null ? "" : names.GetValueOrDefault(v.Jurisdiction, v.Jurisdiction)))];
        ViewCount = count;
        await audit.RecordAsync("person.view", $"person:{Key}", AuditDetail.Write("where", Phrase.Text("audit.where.ownRecord")));
    }
}
