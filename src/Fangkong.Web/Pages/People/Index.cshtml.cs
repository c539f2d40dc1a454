using Fangkong.Control;
using Fangkong.Storage;
using Fangkong.Storage.Control;
using Fangkong.Storage.People;
using Fangkong.Web.Access;
using Fangkong.Web.Audit;
using Fangkong.Web.People;
using Microsoft.AspNetCore.Mvc;

namespace Fangkong.Web.Pages.People;

/// <summary>A person found, as the viewer may see them, with where they stand (their order's status, if any).</summary>
public sealed record PersonLine(PersonView Person, PersonMatch Match, string Area, string? Status, string? Measure);

/// <summary>
/// Finding a person (找人) by name, ID number, phone or key: an exact identifier finds the person
/// wherever they live (masked, without a link, outside the viewer's jurisdiction, so that a contact of
/// another county is known to exist and can be handed over); the start of a name lists people inside
/// the jurisdiction only. Every search is audited with the keys it found.
/// </summary>
public sealed class IndexModel(Database db, Viewer viewer, AuditTrail audit, JurisdictionDirectory directory) : FangkongPage
{
    /// <summary>At most this many people are listed; a longer name list asks for more of the name.</summary>
    public const int Shown = 50;

    public string Q { get; private set; } = "";
    public IReadOnlyList<PersonLine> Rows { get; private set; } = [];
    public bool CanRegister => viewer.Can(Permission.RegisterPeople);

    public async Task<IActionResult> OnGetAsync(string? q, CancellationToken ct)
    {
        if (!viewer.Can(Permission.ViewContacts))
        {
            return Denied();
        }
        Q = (q ?? "").Trim();
        if (Q.Length is 0 or > 64)
        {
            return Page();
        }
        var hits = await PersonSearch.FindAsync(db, Q, viewer.Prefix, Shown, ct);
        var orders = await ControlRepository.ActiveForManyAsync(db, [.. hits.Where(h => viewer.Sees(h.Stored.Person.CommunityCode)).Select(h => h.Stored.Id)], ct);
        var rows = new List<PersonLine>(hits.Count);
        foreach (var h in hits)
        {
            var view = PersonView.Of(h.Stored.Person, viewer);
            var order = orders.GetValueOrDefault(h.Stored.Id);
            rows.Add(new PersonLine(view, h.Match, await directory.DescribeAsync(view.Masked ? CountyOf(h.Stored.Person.CommunityCode) : h.Stored.Person.CommunityCode, ct),
                order?.Status.ToCode(), order is null ? null : Fangkong.Control.ControlCodes.ToCode(order.Measure)));
        }
        Rows = rows;
        await audit.RecordAsync("person.search", $"jurisdiction:{viewer.Jurisdiction.Value}",
            $"{(hits.Count == 0 ? "none" : string.Join(",", hits.Select(h => h.Match.ToString().ToLowerInvariant()).Distinct()))}: {hits.Count} found"
            + (hits.Count == 0 ? "" : " — " + string.Join(",", hits.Take(20).Select(h => h.Stored.Person.PersonKey))));
        return Page();
    }

    /// <summary>Outside the jurisdiction only the county is said, not the community.</summary>
    private static string? CountyOf(string? community) => community is { Length: >= 6 } c ? c[..6] : community;
}
