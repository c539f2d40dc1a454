using Fangkong.Policies;
using Fangkong.Storage;
using Fangkong.Storage.Cases;
using Fangkong.Storage.Contacts;
using Fangkong.Storage.People;
using Fangkong.Tracing;
using Fangkong.Web.Access;
using Fangkong.Web.Audit;
using Fangkong.Web.Lists;
using Fangkong.Web.People;
using Fangkong.Web.Tracing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Fangkong.Web.Api;

public sealed record PageResponse<T>(IReadOnlyList<T> Rows, long Total, int Page, int Pages);

public sealed record CaseContactResponse(PersonView Person, string Tier, string? ViaPersonKey, int? VenueId, string? Transport, long ExposureStart, long ExposureEnd, string PolicyId, string PolicyVersion);

/// <summary>
/// A case with its contacts by tier: counts of all, and the first <see cref="CaseApi.ContactsPerTier"/> of each tier (all are at
/// /api/v1/contacts?case=). While a re-trace runs behind a change to the case list, <c>Retracing</c> is true, <c>RetraceRequestedAt</c>
/// says since when, and the contacts are this case's traced alone from the index in memory (not yet stored, no orders yet).
/// </summary>
public sealed record CaseResponse(PersonView Person, string Classification, string? OnsetDate, long? SamplingTime, long ReportTime, long? IsolationTime,
    IReadOnlyDictionary<string, long> ContactCounts, IReadOnlyList<CaseContactResponse> Contacts, bool Retracing, long? RetraceRequestedAt);

public static class CaseApi
{
    public const int ContactsPerTier = 200;

    public static RouteGroupBuilder MapCaseApi(this RouteGroupBuilder api)
    {
        var cases = api.MapGroup("/cases").WithTags("Cases");
        cases.MapGet("", ListAsync).WithName("ListCases")
            .WithSummary("Cases in the caller's jurisdiction: filter by classification and text (key or name), sort by report|onset|key|close|classification, page.")
            .Produces<PageResponse<CaseListRow>>();
        cases.MapGet("/{key}", GetAsync).WithName("GetCase")
            .WithSummary("A case, its contact counts by tier and the first 200 contacts of each tier with evidence (contacts outside the caller's jurisdiction masked; all of them: /api/v1/contacts?case=). While a re-trace runs behind a change (retracing: true) the contacts are this case's, traced alone at once. 404 outside the jurisdiction.")
            .Produces<CaseResponse>().ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<IResult> ListAsync(Database db, Viewer viewer, AuditTrail audit, FigureCache figures, HttpRequest request,
        string? classification, string? q, int? page, int? size, string? sort, bool? desc, CancellationToken ct)
    {
        if (!viewer.Can(Permission.ViewCases))
        {
            return Problems.Forbidden("your role does not see cases");
        }
        if (classification is not null && !Fangkong.Cases.CaseClassifications.TryParseStored(classification, out _))
        {
            return Problems.Invalid("classification", $"'{classification}' is not one of confirmed, asymptomatic, suspected, not_a_case");
        }
        var request_ = new PageRequest(page ?? 1, size ?? 50, sort, desc ?? false);
        var counts = await figures.GetAsync("case-contacts", "", () => CaseList.ContactCountsAsync(db, CancellationToken.None));
        var found = await CaseList.FindAsync(db, new CaseFilter(viewer.Prefix, classification, q), request_, counts, ct);
        await audit.RecordAsync("case.list", $"jurisdiction:{viewer.Jurisdiction.Value}", "api " + request.QueryString.Value);
        return Results.Ok(new PageResponse<CaseListRow>(found.Rows, found.Total, request_.Page, found.Pages));
    }

    private static async Task<IResult> GetAsync(string key, Database db, Viewer viewer, PersonRecords records, CaseContacts caseContacts, CancellationToken ct)
    {
        if (!viewer.Can(Permission.ViewCases))
        {
            return Problems.Forbidden("your role does not see cases");
        }
        if (await records.OpenAsync(key, "apiCase", ct) is not { } person
            || (await CaseRepository.LoadAllAsync(db, ct)).FirstOrDefault(c => c.PersonId == person.Id) is not { } found)
        {
            return Problems.NotFound($"case '{key}'");
        }
        var now = await caseContacts.FirstOfEachTierAsync(found, ContactsPerTier, ct);
        var contacts = now.Contacts;
        var ids = contacts.Select(c => c.Finding.Person).Concat(contacts.Where(c => c.Finding.ViaPerson is not null).Select(c => c.Finding.ViaPerson!.Value)).Distinct().ToList();
        var people = (await PersonRepository.LoadByIdsAsync(db, ids, ct)).ToDictionary(p => p.Id, p => PersonView.Of(p.Person, viewer));
        var rows = contacts.Where(c => people.ContainsKey(c.Finding.Person)).Select(c => new CaseContactResponse(
            people[c.Finding.Person], c.Finding.Tier.ToCode(),
            c.Finding.ViaPerson is { } via && people.TryGetValue(via, out var v) ? v.Key : null, c.Finding.Venue, c.Finding.Transport,
            c.Finding.Start, c.Finding.End, c.PolicyId, c.PolicyVersion)).ToList();
        return Results.Ok(new CaseResponse(PersonView.Of(person.Person, viewer), Fangkong.Cases.CaseClassifications.ToCode(found.Classification),
            found.OnsetDate?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), found.SamplingTime, found.ReportTime, found.IsolationTime, now.Counts, rows,
            now.Tracing is not null, now.Tracing?.RequestedAt));
    }
}
