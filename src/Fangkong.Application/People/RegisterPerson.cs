using System.Text.Json;
using Fangkong.Application.Access;
using Fangkong.Application.Audit;
using Fangkong.Control;
using Fangkong.People;
using Fangkong.Storage.Jurisdictions;
using Fangkong.Storage.People;
using Fangkong.Storage;
using Fangkong.Text;

namespace Fangkong.Application.People;

/// <summary>A person to register by hand (the key is given by the store).</summary>
public sealed record RegisterPersonCommand(string? Name, IdType? IdType, string? IdNumber, Sex? Sex, DateOnly? BirthDate, string? Phone, string? CommunityCode, string? Address)
{
    /// <summary>
    /// The command from the fields as typed (a form, a JSON body): the document type, sex and birth date
    /// parsed; each that cannot be is a problem at its field (codes <c>idType</c>, <c>sex</c>, <c>date</c>) and
    /// the command is null. Empty means not given; sex <c>U</c> means not known.
    /// </summary>
    public static RegisterPersonCommand? Parse(string? name, string? idType, string? idNumber, string? sex, string? birthDate, string? phone, string? communityCode, string? address,
        List<PersonProblem> problems)
    {
        var before = problems.Count;
        IdType? type = null;
        if (!string.IsNullOrWhiteSpace(idType))
        {
            if (IdTypes.TryParse(idType.Trim(), out var t))
            {
                type = t;
            }
            else
            {
                problems.Add(new PersonProblem("id_type", "idType", $"'{idType}' is not one of resident_id, passport, other"));
            }
        }
        Sex? parsedSex = null;
        if (!string.IsNullOrWhiteSpace(sex) && !Sexes.IsUnknown(sex.Trim()))
        {
            if (Sexes.TryParse(sex.Trim(), out var s))
            {
                parsedSex = s;
            }
            else
            {
                problems.Add(new PersonProblem("sex", "sex", $"'{sex}' is not M or F (or U when not known)"));
            }
        }
        DateOnly? birth = null;
        if (!string.IsNullOrWhiteSpace(birthDate))
        {
            if (DateOnly.TryParseExact(birthDate.Trim(), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var d))
            {
                birth = d;
            }
            else
            {
                problems.Add(new PersonProblem("birth_date", "date", $"'{birthDate}' is not a date YYYY-MM-DD"));
            }
        }
        return problems.Count > before ? null : new RegisterPersonCommand(name, type, idNumber, parsedSex, birth, phone, communityCode, address);
    }
}

/// <summary>
/// A registration that breaks <see cref="PersonRules"/>: every problem at its field. Nothing was changed.
/// The message (which the audit log keeps) names the fields and rules only, never the values typed.
/// </summary>
public sealed class PersonInvalidException(IReadOnlyList<PersonProblem> problems)
    : RefusedException(string.Join("; ", problems.Select(p => $"{p.Field}: {p.Code}")), "person.invalid")
{
    public IReadOnlyList<PersonProblem> Problems { get; } = problems;
}

/// <summary>
/// Registers a person found in the field who is not in the population data (a contact named in an
/// interview, an arrival): in a community or township of the actor's jurisdiction, with a key of the
/// store's own. A document number already registered is refused: inside the jurisdiction naming the
/// person it belongs to (open that record), outside without saying whose it is. Never merges silently.
/// Audited as <c>person.register</c>.
/// </summary>
public sealed class RegisterPerson(Database db, AuditSink audit)
{
    public Task<StoredPerson> HandleAsync(Actor actor, RegisterPersonCommand command, CancellationToken ct = default)
    {
        actor.Require(Permission.RegisterPeople);
        return audit.AuditedAsync(actor, "person.register", $"jurisdiction:{command.CommunityCode ?? actor.Jurisdiction.Value}", async () =>
        {
            string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
            var number = Clean(command.IdNumber)?.ToUpperInvariant();
            var person = new Person("", number is null ? null : command.IdType ?? IdType.ResidentId, number, Clean(command.Name), command.Sex, command.BirthDate,
                Clean(command.Phone), Clean(command.CommunityCode), Clean(command.Address));
            var problems = PersonRules.Problems(person).ToList();
            if (person.CommunityCode is { } community && problems.All(p => p.Field != "community_code"))
            {
                if (!actor.Sees(community))
                {
                    problems.Add(new PersonProblem("community_code", "outside", $"{community} is outside your jurisdiction"));
                }
                else if (community.Length > 6 && !(await JurisdictionRepository.LoadAllAsync(db, ct)).Any(j => j.Code.Value == community))
                {
                    problems.Add(new PersonProblem("community_code", "unknown", $"{community} is not a township or community the store knows"));
                }
            }
            if (problems.Count > 0)
            {
                throw new PersonInvalidException(problems);
            }
            if (person.IdNumber is { } doc && await PersonRepository.FindByDocumentAsync(db, person.IdType!.Value, doc, ct) is { } owner)
            {
                throw actor.Sees(owner.Person.CommunityCode)
                    ? new RefusedException($"the document number is already registered to person_id {owner.Person.PersonKey}; open that record", "person.documentTaken", owner.Person.PersonKey)
                    : new RefusedException("the document number is registered to a person outside your jurisdiction", "person.documentOutside");
            }
            person = PersonRules.Completed(person);
            var detail = JsonSerializer.Serialize(new SortedDictionary<string, string?>(StringComparer.Ordinal)
            {
                ["name"] = person.Name, ["id_type"] = person.IdType?.ToCode(), ["id_number"] = person.IdNumber, ["sex"] = person.Sex?.ToCode(),
                ["birth_date"] = person.BirthDate?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), ["phone"] = person.Phone,
                ["community_code"] = person.CommunityCode, ["address"] = person.Address, ["registered_by"] = actor.Name,
            }, PersonHistory.Json);
            var stored = await PersonRepository.RegisterAsync(db, person, detail, ct);
            return (stored, AuditDetail.Write("register", stored.Person.PersonKey, person.CommunityCode));
        });
    }
}
