using System.Globalization;
using Fangkong.Application.Policies;
using Fangkong.Control;
using Fangkong.Storage.Control;
using Fangkong.Storage.Sites;
using Fangkong.Storage.Staff;
using Fangkong.Storage;
using Fangkong.Web.Access;
using Fangkong.Web.Audit;
using Fangkong.Web.People;
using Microsoft.AspNetCore.Mvc;

namespace Fangkong.Web.Pages.Control;

/// <summary>
/// The printable documents of an order, to hand to the person (A4, print stylesheet): the quarantine
/// notice (隔离告知书) of the active order, and the release certificate (解除隔离告知书) of the latest
/// released one. Printed only by those who tell people of their measure or control them, for a person
/// inside their jurisdiction; every print is audited (<c>notice.print</c>).
/// </summary>
public sealed class NoticeModel(Database db, Viewer viewer, PersonRecords records, AuditTrail audit, JurisdictionDirectory directory, StorePolicy policies, Fangkong.Web.Text.UiText text) : FangkongPage
{
    public static readonly IReadOnlyList<string> Kinds = ["quarantine", "release"];

    public string Kind { get; private set; } = "quarantine";
    public PersonView Person { get; private set; } = null!;
    public ControlOrder? Order { get; private set; }
    public Placement? Room { get; private set; }
    public string? Monitor { get; private set; }
    public IReadOnlyList<TestSlot> Tests { get; private set; } = [];
    public string Issuer { get; private set; } = "";
    public string PolicyTitle { get; private set; } = "";
    public string Issued { get; private set; } = "";

    public static string Date(DateOnly? d) => d is null || d == DateOnly.MaxValue ? "—" : d.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public string Day(long? t) => t is null ? "—" : db.Calendar.LocalDate(t.Value).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public async Task<IActionResult> OnGetAsync(string key, string kind, CancellationToken ct)
    {
        if (!viewer.Can(Permission.ViewContacts) || !(viewer.Can(Permission.ControlPeople) || viewer.Can(Permission.NotifyPeople)))
        {
            return Denied();
        }
        if (!Kinds.Contains(kind))
        {
            return NotFound();
        }
        Kind = kind;
        if (await records.OpenAsync(key, $"{kind} notice", ct) is not { } stored)
        {
            return NotFound();
        }
        Person = PersonView.Of(stored.Person, viewer);
        Order = kind == "quarantine"
            ? await ControlRepository.ActiveForAsync(db, stored.Id, ct) is { Status: not ControlStatus.Released and not ControlStatus.ConvertedToCase } active ? active : null
            : (await ControlRepository.HistoryOfAsync(db, stored.Id, ct)).LastOrDefault(o => o.Status == ControlStatus.Released);
        if (Order is null)
        {
            Response.StatusCode = 409;
            return Page();
        }
        Tests = await ControlRepository.TestsAsync(db, Order.Id, ct);
        Room = kind == "quarantine" ? await SiteRepository.StayOfAsync(db, stored.Id, ct) : null;
        Monitor = Order.MonitorId is { } m && await StaffRepository.FindAsync(db, m, ct) is { } staff ? staff.Name : null;
        var names = await directory.NamesAsync(ct);
        var county = stored.Person.CommunityCode is { Length: >= 6 } c ? c[..6] : viewer.Jurisdiction.Value;
        Issuer = names.GetValueOrDefault(county, county);
        var policy = policies.Catalog.All.FirstOrDefault(p => p.Id == Order.PolicyId);
        PolicyTitle = policy is null ? Order.PolicyId : text.IsEnglish ? policy.Title : policy.TitleZh;
        Issued = Day(kind == "release" ? Order.ClosedAt : Order.NotifiedAt ?? db.Now);
        await audit.RecordAsync("notice.print", $"person:{key}", $"{kind} notice of order #{Order.Id}");
        return Page();
    }
}
