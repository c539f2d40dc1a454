using System.Globalization;
using System.Text.Json;
using Fangkong.Application.Cases;
using Fangkong.Application;
using Fangkong.Cases;
using Fangkong.Control;
using Fangkong.Policies;
using Fangkong.Storage.Cases;
using Fangkong.Storage.Contacts;
using Fangkong.Storage.Control;
using Fangkong.Storage.People;
using Fangkong.Storage.Tracing;
using Fangkong.Storage.Venues;
using Fangkong.Storage;
using Fangkong.Tracing;
using Fangkong.Web.Access;
using Fangkong.Web.Audit;
using Fangkong.Web.Forms;
using Fangkong.Web.People;
using Fangkong.Web.Text;
using Fangkong.Web.Tracing;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc;

namespace Fangkong.Web.Pages.Cases;

/// <summary>A contact of the case as listed on its page, with the evidence of its classification.</summary>
public sealed record ContactLine(PersonView Person, string Area, string Tier, string? Via, string Evidence, string Start, string End, long Minutes, string Policy, string? Status);

/// <summary>
/// A case's page: the record, its itinerary in the tracing window, its contacts by tier with their
/// evidence, and the transmission chain as a graph. Outside the viewer's jurisdiction the page does
/// not exist (404, audited); contacts who live elsewhere are shown masked.
/// </summary>
public sealed class DetailModel(Database db, Viewer viewer, Actor actor, ClassifyCase classify, AddItineraryEntry addEntry, PolicyProfile policy, JurisdictionDirectory directory, UiText text, PersonRecords records, CaseContacts caseContacts) : FangkongPage
{
    /// <summary>A re-trace asked for is still running: the contacts shown are this case's, traced alone from the index in memory.</summary>
    public TraceRequestState? Tracing { get; private set; }

    /// <summary>How long listing the case's contacts took (the index in memory, while a re-trace runs behind).</summary>
    public TimeSpan? TracedIn { get; private set; }

    /// <summary>Contacts shown per tier on the page; the contact list has them all.</summary>
    public const int ShownPerTier = 50;

    public IReadOnlyDictionary<string, long> Counts { get; private set; } = new Dictionary<string, long>();

    public PersonView Person { get; private set; } = null!;
    public StoredCase Case { get; private set; } = null!;
    public string Area { get; private set; } = "";
    public TracingWindow Window { get; private set; }
    public IReadOnlyList<ItineraryStop> Stops { get; private set; } = [];
    public IReadOnlyList<ContactLine> Contacts { get; private set; } = [];
    public string GraphJson { get; private set; } = "{}";
    public string? Message { get; private set; }
    public string? ItineraryError { get; private set; }
    public bool CanEdit => viewer.Can(Permission.EditCases);
    public string PolicyId => policy.Id;

    public string Time(long? t) => t is null ? "—" : db.Calendar.ToLocal(t.Value).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    public async Task<IActionResult> OnGetAsync(string key, CancellationToken ct)
    {
        if (!viewer.Can(Permission.ViewCases))
        {
            return Denied();
        }
        return await LoadAsync(key, ct) ? Page() : NotFound();
    }

    /// <summary>Whether a re-trace asked for is still running (the page's banner asks every few seconds).</summary>
    public async Task<IActionResult> OnGetTracingAsync(CancellationToken ct)
    {
        if (!viewer.Can(Permission.ViewCases))
        {
            return Denied();
        }
        var state = await TraceRequests.StateAsync(db, ct);
        return new JsonResult(new { pending = state.Pending, completedAt = state.CompletedAt });
    }

    /// <summary>Confirms, reclassifies or withdraws the case; the contacts are traced again behind the answer and control orders follow.</summary>
    public async Task<IActionResult> OnPostClassifyAsync(string key, string? to, CancellationToken ct)
    {
        if (!viewer.Can(Permission.EditCases))
        {
            return Denied();
        }
        if (!await LoadAsync(key, ct))
        {
            return NotFound();
        }
        if (!CaseClassifications.TryParseStored(to, out var classification))
        {
            Message = text.F("cases.error.classification", to);
            Response.StatusCode = 400;
            return Page();
        }
        var classified = await classify.HandleAsync(actor, new ClassifyCaseCommand(Person.Key, classification, policy), ct);
        TempData["message"] = classified.Retrace is { } r
            ? text.F("cases.traced", r.Trace.Findings.Count(f => f.Tier == ContactTier.Close), r.Trace.Findings.Count(f => f.Tier == ContactTier.Secondary), r.Sync.Created)
            : text.F("cases.tracingBehind", text["classification." + classification.ToCode()]);
        return Redirect($"/cases/{Uri.EscapeDataString(key)}");
    }

    /// <summary>Adds a place and time the case gave in the interview (流调) to the itinerary.</summary>
    public async Task<IActionResult> OnPostItineraryAsync(string key, string? place, string? start, string? end, string? note, CancellationToken ct)
    {
        if (!viewer.Can(Permission.EditCases))
        {
            return Denied();
        }
        if (!await LoadAsync(key, ct))
        {
            return NotFound();
        }
        long? Local(string? value) => FormTime.TryParse(value, db.Calendar, out var t) ? t : null;
        var (from, to) = (Local(start), Local(end));
        if (string.IsNullOrWhiteSpace(place) || from is null || to is null)
        {
            ItineraryError = string.IsNullOrWhiteSpace(place) ? $"{text["itinerary.place"]}: {text["people.error.required"]}"
                : $"{text[from is null ? "itinerary.from" : "itinerary.to"]}: {text["cases.error.time"]}";
            Response.StatusCode = 400;
            return Page();
        }
        try
        {
            await addEntry.HandleAsync(actor, new ItineraryEntryCommand(Person.Key, place, from.Value, to.Value, string.IsNullOrWhiteSpace(note) ? null : note.Trim()), ct);
        }
        catch (RefusedException e)
        {
            ItineraryError = text.Refused(e);
            Response.StatusCode = 409;
            return Page();
        }
        TempData["message"] = text.F("case.itinerary.added", place.Trim());
        return Redirect($"/cases/{Uri.EscapeDataString(key)}#itinerary");
    }

    private async Task<bool> LoadAsync(string key, CancellationToken ct)
    {
        if (await records.OpenAsync(key, "casePage", ct) is not { } stored
            || (await CaseRepository.LoadAllAsync(db, ct)).FirstOrDefault(c => c.PersonId == stored.Id) is not { } found)
        {
            return false;
        }
        Person = PersonView.Of(stored.Person, viewer);
        Case = found;
        Message = TempData["message"] as string;
        Area = await directory.DescribeAsync(stored.Person.CommunityCode, ct);
        Window = TracingWindow.For(found.OnsetDate, found.SamplingTime, found.ReportTime, found.IsolationTime, policy.Tracing.WindowDaysBefore, db.Calendar);
        Stops = await caseContacts.ItineraryAsync(found, ct);
        await LoadContactsAsync(stored.Id, ct);
        return true;
    }

    private async Task LoadContactsAsync(int caseId, CancellationToken ct)
    {
        var now = await caseContacts.FirstOfEachTierAsync(Case, ShownPerTier, ct);
        (Counts, Tracing, TracedIn) = (now.Counts, now.Tracing, now.TracedIn);
        var contacts = now.Contacts;
        var ids = contacts.Select(c => c.Finding.Person).Concat(contacts.Where(c => c.Finding.ViaPerson is not null).Select(c => c.Finding.ViaPerson!.Value)).Distinct().ToList();
        var people = (await PersonRepository.LoadByIdsAsync(db, ids, ct)).ToDictionary(p => p.Id, p => PersonView.Of(p.Person, viewer));
        var orders = await ControlRepository.ActiveForManyAsync(db, contacts.Select(c => c.Finding.Person).ToList(), ct);
        var venues = (await VenueRepository.LoadByIdsAsync(db, contacts.Where(c => c.Finding.Venue is not null).Select(c => c.Finding.Venue!.Value), ct))
            .ToDictionary(v => v.Key, v => v.Value.Venue.Name ?? v.Value.Venue.VenueKey);
        var cells = contacts.Any(c => c.Finding.Cell is not null) ? await Storage.Grid.GridCellRepository.LoadAllAsync(db, ct) : [];
        var lines = new List<ContactLine>(contacts.Count);
        foreach (var c in contacts.OrderBy(c => c.Finding.Tier).ThenBy(c => c.Finding.Start))
        {
            var f = c.Finding;
            if (!people.TryGetValue(f.Person, out var person))
            {
                continue;
            }
            var evidence = f.Venue is { } v ? venues.GetValueOrDefault(v, $"#{v}")
                : f.Cell is { } cell ? text.F("contacts.gridCell", cells.GetValueOrDefault(cell, $"#{cell}"))
                : f.Transport ?? text["contacts.manualExposure"];
            lines.Add(new ContactLine(person, await directory.DescribeAsync(person.Community, ct), f.Tier.ToCode(),
                f.ViaPerson is { } via && people.TryGetValue(via, out var vp) ? vp.Key : null, evidence,
                Time(f.Start), Time(f.End), (f.End - f.Start) / 60, $"{c.PolicyId} {c.PolicyVersion}",
                orders.TryGetValue(f.Person, out var o) ? o.Status.ToCode() : null));
        }
        Contacts = lines;
        (Source, Onward) = await CaseLinks.LoadAsync(db, caseId, OnwardShown + 1, ct);
        GraphJson = Graph(lines);
    }

    /// <summary>The case the page's case was traced from, if any.</summary>
    public LinkedCase? Source { get; private set; }

    /// <summary>The first cases traced from this one (its contacts who became cases).</summary>
    public IReadOnlyList<LinkedCase> Onward { get; private set; } = [];

    private static readonly string[] ChainTiers = ["close", "secondary"];

    /// <summary>How many onward cases the chain draws one by one.</summary>
    public const int OnwardShown = 12;

    /// <summary>How many contacts of a tier the chain shows once its count is expanded.</summary>
    public const int ExpandedShown = 40;

    public string Day(long t) => db.Calendar.ToLocal(t).ToString("MM-dd", CultureInfo.InvariantCulture);

    /// <summary>
    /// The chain as the graph draws it: case → case links first (the source, this case, the cases traced
    /// from it), then the contacts as one count per tier that expands into its first members.
    /// </summary>
    private string Graph(IReadOnlyList<ContactLine> lines)
    {
        string Reported(LinkedCase c) => text.F("graph.reported", c.PersonKey, Day(c.ReportTime));
        var tiers = ChainTiers.Select(t => new
        {
            tier = t,
            label = text.F("graph.count", text["tier." + t], Counts.GetValueOrDefault(t)),
            count = Counts.GetValueOrDefault(t),
            members = lines.Where(l => l.Tier == t).Take(ExpandedShown).Select(l => new { key = l.Person.Key, via = l.Via }),
            link = $"/contacts?case={Uri.EscapeDataString(Person.Key)}&tier={t}",
        });
        return JsonSerializer.Serialize(new
        {
            labels = new { cases = text["graph.case"], contacts = text["graph.contacts"], expand = text["graph.expand"], more = text["graph.more"] },
            self = new { key = Person.Key, label = Reported(new LinkedCase(Person.Key, Case.ReportTime, null)) },
            source = Source is { } src ? new { key = src.PersonKey, label = Reported(src) } : null,
            onward = Onward.Take(OnwardShown).Select(o => new { key = o.PersonKey, label = Reported(o) }),
            onwardMore = Math.Max(0, Onward.Count - OnwardShown),
            tiers,
        });
    }

}
