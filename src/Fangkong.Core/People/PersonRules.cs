using Fangkong.Input;
using Fangkong.Jurisdictions;

namespace Fangkong.People;

/// <summary>What is wrong with a person's record, at its field (a form shows it there).</summary>
public sealed record PersonProblem(string Field, string Code, string Message);

/// <summary>
/// What a person registered by hand (a form, the API) must satisfy: a name, a community or township
/// code, a valid resident ID number (with the sex and birth date it carries, when given), a mobile
/// number, and plain text of a bounded length. Said once for every channel that registers one person;
/// the persons import checks its rows with the same primitives (<see cref="ResidentId"/>,
/// <see cref="PhoneNumber"/>, <see cref="JurisdictionCode"/>) and reports them by line and column.
/// </summary>
public static class PersonRules
{
    public static IReadOnlyList<PersonProblem> Problems(Person p)
    {
        var problems = new List<PersonProblem>();
        void Text(string field, string? value, int max)
        {
            if (value is null)
            {
                return;
            }
            if (value.Length > max)
            {
                problems.Add(new PersonProblem(field, "tooLong", $"is {value.Length} characters long; at most {max} are kept"));
            }
            else if (FreeText.IndexOfHidden(value, multiline: false) >= 0)
            {
                problems.Add(new PersonProblem(field, "control", "holds a control or direction character; type plain text"));
            }
        }
        if (string.IsNullOrWhiteSpace(p.Name))
        {
            problems.Add(new PersonProblem("name", "required", "is empty"));
        }
        Text("name", p.Name, FreeText.Short);
        Text("address", p.Address, FreeText.Medium);
        Text("id_number", p.IdNumber, 40);
        if (string.IsNullOrWhiteSpace(p.CommunityCode))
        {
            problems.Add(new PersonProblem("community_code", "required", "is empty"));
        }
        else if (!JurisdictionCode.TryParse(p.CommunityCode, out _, out var why))
        {
            problems.Add(new PersonProblem("community_code", "invalid", why!));
        }
        if (p.IdType == IdType.ResidentId && p.IdNumber is { } number)
        {
            if (!ResidentId.TryParse(number, out var rid, out var why))
            {
                problems.Add(new PersonProblem("id_number", "residentId", $"resident ID {number} {why}"));
            }
            else
            {
                if (p.Sex is { } sex && sex != rid.Sex)
                {
                    problems.Add(new PersonProblem("sex", "sexMismatch", $"{sex.ToCode()} does not match the resident ID, which gives {rid.Sex.ToCode()}"));
                }
                if (p.BirthDate is { } birth && birth != rid.BirthDate)
                {
                    problems.Add(new PersonProblem("birth_date", "birthMismatch", $"{birth:yyyy-MM-dd} does not match the resident ID, which gives {rid.BirthDate:yyyy-MM-dd}"));
                }
            }
        }
        if (p.IdType is not null && p.IdNumber is null)
        {
            problems.Add(new PersonProblem("id_number", "required", "is empty while a document type is given"));
        }
        if (p.Phone is { } phone && !PhoneNumber.IsValid(phone))
        {
            problems.Add(new PersonProblem("phone", "phone", $"'{phone}' is not a mobile number (11 digits starting 13–19, optionally +86)"));
        }
        return problems;
    }

    /// <summary>The record with the sex and birth date its resident ID gives, where they were left empty.</summary>
    public static Person Completed(Person p) =>
        p.IdType == IdType.ResidentId && ResidentId.TryParse(p.IdNumber, out var rid, out _)
            ? p with { Sex = p.Sex ?? rid.Sex, BirthDate = p.BirthDate ?? rid.BirthDate }
            : p;
}
