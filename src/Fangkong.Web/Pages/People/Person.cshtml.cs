using System.Globalization;
using Fangkong.Control;
using Fangkong.Storage;
using Fangkong.Storage.Control;
using Fangkong.Storage.People;
using Fangkong.Web.Access;
using Fangkong.Web.People;
using Microsoft.AspNetCore.Mvc;

namespace Fangkong.Web.Pages.People;

/// <summary>
/// The person page (个人档案): identity, household, case, how they became a contact and with what
/// evidence, every control order with its tests, health checks and the person's own reports, interview
/// entries and the record's history — one place to answer "what do we know about this person, and
/// where do they stand". Inside the viewer's jurisdiction only (404 outside, like a missing key); audited as viewed.
/// </summary>
public sealed class PersonModel(Database db, Viewer viewer, PersonRecords records, JurisdictionDirectory directory) : FangkongPage
{
    public PersonView Person { get; private set; } = null!;
    public PersonFile Record { get; private set; } = null!;
    public string Area { get; private set; } = "";
    public ControlOrder? Active { get; private set; }
    public IReadOnlyList<TestSlot> Tests { get; private set; } = [];
    public string? Message { get; private set; }
    public bool CanRecordCase => viewer.Can(Permission.EditCases);
    public bool CanSeeCases => viewer.Can(Permission.ViewCases);

    public string Time(long? t) => t is null ? "—" : db.Calendar.ToLocal(t.Value).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    public static string Date(DateOnly? d) => d is null || d == DateOnly.MaxValue ? "—" : d.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public async Task<IActionResult> OnGetAsync(string key, CancellationToken ct)
    {
        if (!viewer.Can(Permission.ViewContacts))
        {
            return Denied();
        }
        if (await records.OpenAsync(key, "personPage", ct) is not { } stored)
        {
            return NotFound();
        }
        Person = PersonView.Of(stored.Person, viewer);
        Message = TempData["message"] as string;
        Record = await PersonFile.LoadAsync(db, stored, ct);
        Area = await directory.DescribeAsync(stored.Person.CommunityCode, ct);
        Active = Record.Orders.LastOrDefault(o => o.Active);
        if (Active is not null)
        {
            Tests = await ControlRepository.TestsAsync(db, Active.Id, ct);
        }
        return Page();
    }
}
