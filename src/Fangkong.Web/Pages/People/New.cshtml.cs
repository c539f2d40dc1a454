using Fangkong.Application;
using Fangkong.Application.People;
using Fangkong.Control;
using Fangkong.People;
using Fangkong.Web.Access;
using Fangkong.Web.Text;
using Microsoft.AspNetCore.Mvc;

namespace Fangkong.Web.Pages.People;

/// <summary>
/// Registering a person who is not in the population data (a contact named in an interview, an
/// arrival): every field checked by the person rules and each problem said at its field; a document
/// number already registered points to that record instead of making a second one.
/// </summary>
public sealed class NewModel(Viewer viewer, Actor actor, RegisterPerson register, UiText text) : FangkongPage
{
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string? IdType { get; set; } = "resident_id";
    [BindProperty] public string? IdNumber { get; set; }
    [BindProperty] public string? Sex { get; set; }
    [BindProperty] public string? BirthDate { get; set; }
    [BindProperty] public string? Phone { get; set; }
    [BindProperty] public string? CommunityCode { get; set; }
    [BindProperty] public string? Address { get; set; }

    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    /// <summary>The record that already holds the document number typed, when it lies inside the viewer's jurisdiction.</summary>
    public string? Existing { get; private set; }

    public IActionResult OnGet()
    {
        if (!viewer.Can(Permission.RegisterPeople))
        {
            return Denied();
        }
        CommunityCode ??= viewer.Jurisdiction.Value.Length > 6 ? viewer.Jurisdiction.Value : null;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!viewer.Can(Permission.RegisterPeople))
        {
            return Denied();
        }
        var problems = new List<PersonProblem>();
        if (RegisterPersonCommand.Parse(Name, IdType, IdNumber, Sex, BirthDate, Phone, CommunityCode, Address, problems) is not { } command)
        {
            return Invalid(problems);
        }
        try
        {
            var stored = await register.HandleAsync(actor, command, ct);
            TempData["message"] = text.F("people.registered", stored.Person.PersonKey);
            return Redirect($"/people/{Uri.EscapeDataString(stored.Person.PersonKey)}");
        }
        catch (PersonInvalidException e)
        {
            return Invalid(e.Problems);
        }
        catch (RefusedException e) when (e.Code is "person.documentTaken" or "person.documentOutside")
        {
            Existing = e.Code == "person.documentTaken" ? (e.Args.Count > 0 ? e.Args[0]?.ToString() : null) : null;
            Errors["id_number"] = e.Code == "person.documentTaken" ? text["people.error.documentTaken"] : text["people.error.documentOutside"];
            Response.StatusCode = 409;
        }
        return Page();
    }

    /// <summary>The form again with each problem at its field (400).</summary>
    private Microsoft.AspNetCore.Mvc.RazorPages.PageResult Invalid(IReadOnlyList<PersonProblem> problems)
    {
        foreach (var problem in problems)
        {
            Errors.TryAdd(problem.Field, text["people.error." + problem.Code]);
        }
        Response.StatusCode = 400;
        return Page();
    }
}
