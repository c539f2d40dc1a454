using Fangkong.Application;
using Fangkong.Application.People;
using Fangkong.Control;
using Fangkong.Storage;
using Fangkong.Storage.People;
using Fangkong.Web.Access;
using Fangkong.Web.Audit;
using Fangkong.Web.People;
using Fangkong.Web.Text;
using Microsoft.AspNetCore.Mvc;

namespace Fangkong.Web.Pages.People;

/// <summary>A group of possible duplicates as the viewer sees it, and whether its records may be merged (no two different document numbers of one type).</summary>
public sealed record DuplicateLine(string Name, string Phone, IReadOnlyList<(PersonView Person, string? BirthDate)> Members, bool Mergeable);

/// <summary>
/// Possible duplicates (疑似重复人员) in the viewer's jurisdiction: records sharing a name and a mobile
/// number, for someone to review. A reviewer who may merge chooses the record to keep; nothing is
/// merged by itself, and records with different document numbers are shown but cannot be merged.
/// Viewing is audited with the keys listed; a merge through the merge handler (<c>person.merge</c>).
/// </summary>
public sealed class DuplicatesModel(Database db, Viewer viewer, Actor actor, AuditTrail audit, MergePeople merge, UiText text) : FangkongPage
{
    public const int PageSize = 20;

    public IReadOnlyList<DuplicateLine> Groups { get; private set; } = [];
    public long Total { get; private set; }
    public int PageNumber { get; private set; } = 1;
    public int Pages { get; private set; } = 1;
    public bool CanMerge => viewer.Can(Permission.EditCases);
    public string? Message { get; private set; }
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(int? page, CancellationToken ct)
    {
        if (!viewer.Can(Permission.ViewContacts))
        {
            return Denied();
        }
        Message = TempData["message"] as string;
        Error = TempData["error"] as string;
        PageNumber = Math.Max(page ?? 1, 1);
        var found = await PersonDuplicates.ListAsync(db, viewer.Prefix, new PageRequest(PageNumber, PageSize), ct);
        Total = found.Total;
        Pages = found.Pages;
        Groups = [.. found.Rows.Select(g => new DuplicateLine(g.Name, g.Phone,
            [.. g.Members.Select(m => (PersonView.Of(m.Person, viewer), m.Person.BirthDate?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)))],
            g.Mergeable))];
        var keys = found.Rows.SelectMany(g => g.Members).Select(m => m.Person.PersonKey).ToList();
        await audit.RecordAsync("person.duplicates", $"jurisdiction:{viewer.Jurisdiction.Value}",
            $"{found.Total} groups; page {PageNumber}" + (keys.Count == 0 ? "" : " — " + string.Join(",", keys.Take(40))));
        return Page();
    }

    public async Task<IActionResult> OnPostMergeAsync(string? keep, string[]? members, int? page, CancellationToken ct)
    {
        if (!CanMerge)
        {
            return Denied();
        }
        var back = $"/people/duplicates{(page is > 1 ? $"?page={page}" : "")}";
        if (string.IsNullOrEmpty(keep) || members is null || !members.Contains(keep, StringComparer.Ordinal))
        {
            TempData["error"] = text["people.duplicates.chooseKeep"];
            return Redirect(back);
        }
        var merged = new List<string>();
        try
        {
            foreach (var other in members.Where(m => !string.Equals(m, keep, StringComparison.Ordinal)).Distinct(StringComparer.Ordinal))
            {
                await merge.HandleAsync(actor, keep, other, ct);
                merged.Add(other);
            }
            TempData["message"] = text.F("people.duplicates.merged", keep, string.Join(text["common.listSeparator"], merged));
        }
        catch (RefusedException e)
        {
            TempData["error"] = (merged.Count > 0 ? text.F("people.duplicates.merged", keep, string.Join(text["common.listSeparator"], merged)) + " " : "") + text.Refused(e);
        }
        return Redirect(back);
    }
}
