using System.Globalization;
using Fangkong.Application.Cases;
using Fangkong.Application;
using Fangkong.Cases;
using Fangkong.Policies;
using Fangkong.Storage.Cases;
using Fangkong.Storage.People;
using Fangkong.Storage.Tracing;
using Fangkong.Storage;
using Fangkong.Tracing;
using Fangkong.Web.Access;
using Fangkong.Web.Audit;
using Fangkong.Web.Forms;
using Fangkong.Web.Text;
using Microsoft.AspNetCore.Mvc;

namespace Fangkong.Web.Pages.Cases;

/// <summary>
/// Record a case (C2). Times are local (the deployment's zone). A confirmed or asymptomatic case is
/// traced at once and its contacts get control orders. Every refused field is named with the reason;
/// nothing is written then.
/// </summary>
public sealed class NewModel(Database db, Viewer viewer, Actor actor, RecordCase record, PolicyProfile policy, UiText text) : FangkongPage
{
    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    [BindProperty] public string? PersonKey { get; set; }
    [BindProperty] public string Classification { get; set; } = "suspected";
    [BindProperty] public string? Onset { get; set; }
    [BindProperty] public string? Sampling { get; set; }
    [BindProperty] public string? Report { get; set; }
    [BindProperty] public string? Isolation { get; set; }

    /// <summary>The form, for the person given (from the person page), if any.</summary>
    public IActionResult OnGet(string? person)
    {
        if (!viewer.Can(Permission.EditCases))
        {
            return Denied();
        }
        PersonKey ??= string.IsNullOrWhiteSpace(person) ? null : person.Trim();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!viewer.Can(Permission.EditCases))
        {
            return Denied();
        }
        var person = string.IsNullOrWhiteSpace(PersonKey) ? null : await PersonRepository.FindAsync(db, PersonKey.Trim(), ct);
        if (person is null || !viewer.Sees(person.Person.CommunityCode))
        {
            Errors["personKey"] = text["cases.error.person"];
        }
        if (!CaseClassifications.TryParseStored(Classification, out var classification) || classification == CaseClassification.NotACase)
        {
            Errors["classification"] = text["cases.error.classificationField"];
        }
        DateOnly? onset = null;
        if (!string.IsNullOrWhiteSpace(Onset))
        {
            if (DateOnly.TryParseExact(Onset, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            {
                onset = d;
            }
            else
            {
                Errors["onset"] = text["cases.error.date"];
            }
        }
        var sampling = Time(Sampling, "sampling");
        var report = Time(Report, "report") ?? db.Now;
        var isolation = Time(Isolation, "isolation");
        if (Errors.Count > 0)
        {
            Response.StatusCode = 400;
            return Page();
        }
        try
        {
            var recorded = await record.HandleAsync(actor, new RecordCaseCommand(person!.Person.PersonKey, classification, onset, sampling, report, isolation, policy), ct);
            if (recorded.Retrace is { } r)
            {
                TempData["message"] = text.F("cases.traced", r.Trace.Findings.Count(f => f.Tier == ContactTier.Close), r.Trace.Findings.Count(f => f.Tier == ContactTier.Secondary), r.Sync.Created);
            }
            else if (classification.CountsAsCase())
            {
                TempData["message"] = text.F("cases.tracingBehind", text["classification." + classification.ToCode()]);
            }
        }
        catch (CaseInvalidException e)
        {
            // The rules of a case record (CaseRules), each said at its field.
            foreach (var problem in e.Problems)
            {
                Errors[problem.Field] = text["cases.error." + problem.Code];
            }
            Response.StatusCode = 400;
            return Page();
        }
        catch (Fangkong.Control.RefusedException e) when (e.Code == "case.exists")
        {
            Errors["personKey"] = text["cases.error.exists"];
            Response.StatusCode = 409;
            return Page();
        }
        return Redirect($"/cases/{Uri.EscapeDataString(person.Person.PersonKey)}");
    }

    /// <summary>A local date and time from the form (yyyy-MM-ddTHH:mm), as Unix seconds; a field error when unreadable.</summary>
    private long? Time(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        if (!FormTime.TryParse(value, db.Calendar, out var t))
        {
            Errors[field] = text["cases.error.time"];
            return null;
        }
        return t;
    }
}
