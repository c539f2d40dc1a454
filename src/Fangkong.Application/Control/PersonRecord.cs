using Fangkong.Control;
using Fangkong.Storage.Control;
using Fangkong.Storage.People;
using Fangkong.Storage;

namespace Fangkong.Application.Control;

/// <summary>A person as a use case acts on them: the stored record, their audit target and their active order, if any.</summary>
public sealed record PersonRecord(StoredPerson Stored, ControlOrder? Order)
{
    public int Id => Stored.Id;

    public string Key => Stored.Person.PersonKey;

    public string Target => $"person:{Key}";

    /// <summary>The active order, or the refusal <c>order.none</c>.</summary>
    public ControlOrder ActiveOrder => Order ?? throw new RefusedException($"{Key} has no active control order", "order.none");
}

/// <summary>
/// The one door through which control use cases reach a person: found by key or internal id, inside the
/// actor's jurisdiction (else <see cref="OutsideJurisdictionException"/>, which the screens answer with 404).
/// </summary>
public sealed class PeopleInScope(Database db)
{
    public async Task<PersonRecord> OpenAsync(Actor actor, string personKey, CancellationToken ct)
    {
        var stored = await PersonRepository.FindAsync(db, personKey, ct)
            ?? throw new RefusedException($"no person with person_id '{personKey}'", "person.missing", personKey);
        return await OpenAsync(actor, stored, ct);
    }

    public async Task<PersonRecord> OpenAsync(Actor actor, int personId, CancellationToken ct)
    {
        var stored = (await PersonRepository.LoadByIdsAsync(db, [personId], ct)).SingleOrDefault()
            ?? throw new RefusedException($"no person #{personId}", "person.missing", personId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return await OpenAsync(actor, stored, ct);
    }

    /// <summary>
    /// The person of an order: the order the caller read (<paramref name="orderId"/>, so that a version
    /// check applies to that one), else the active order of <paramref name="personKey"/>.
    /// </summary>
    public async Task<PersonRecord> OpenOrderAsync(Actor actor, string personKey, long? orderId, CancellationToken ct)
    {
        if (orderId is not { } id)
        {
            return await OpenAsync(actor, personKey, ct);
        }
        var order = await ControlRepository.FindAsync(db, id, ct) ?? throw new RefusedException($"no control order #{id}", "order.missing", id);
        var stored = (await PersonRepository.LoadByIdsAsync(db, [order.PersonId], ct)).Single();
        return await OpenAsync(actor, stored, ct, order);
    }

    private async Task<PersonRecord> OpenAsync(Actor actor, StoredPerson stored, CancellationToken ct, ControlOrder? order = null)
    {
        actor.RequireSees(stored.Person.CommunityCode, $"person:{stored.Person.PersonKey}");
        return new PersonRecord(stored, order ?? await ControlRepository.ActiveForAsync(db, stored.Id, ct));
    }
}
