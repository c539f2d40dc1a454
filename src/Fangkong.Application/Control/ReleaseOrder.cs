using Fangkong.Application.Access;
using Fangkong.Application.Audit;
using Fangkong.Policies;
using Fangkong.Storage.Control;
using Fangkong.Storage;
using Fangkong.Text;

namespace Fangkong.Application.Control;

public sealed record ReleaseOrderCommand(string PersonKey, int? ExpectedVersion = null, long? OrderId = null);

/// <summary>
/// Decides a release (解除) against the order's own policy: released, and moved on to the plan's next
/// measure, or refused with every unmet criterion (<see cref="Fangkong.Control.ReleaseRefusedException"/>).
/// </summary>
public sealed class ReleaseOrder(Database db, PeopleInScope people, PolicyCatalog catalog, AuditSink audit)
{
    public Task<ReleaseDecision> HandleAsync(Actor actor, ReleaseOrderCommand command, CancellationToken ct = default)
    {
        actor.Require(Permission.ControlPeople);
        return audit.AuditedAsync(actor, "control.release", $"person:{command.PersonKey}", async () =>
        {
            var person = await people.OpenOrderAsync(actor, command.PersonKey, command.OrderId, ct);
            var order = person.ActiveOrder;
            var decision = await ReleaseActions.ReleaseAsync(db, catalog.Get(order.PolicyId), order.Id, actor.Name, command.ExpectedVersion, ct);
            return (decision, AuditDetail.Write("release", Phrase.Number(order.Id), decision.Basis));
        });
    }
}

/// <summary>What the release round did: how many orders were at their planned end, released, and why the others were not.</summary>
public sealed record ReleaseRound(int Due, int Released, IReadOnlyList<string> NotReleased);

/// <summary>
/// The release round (解除 of everyone due): every order under control in the actor's jurisdiction whose
/// planned end has come is decided one by one; those whose criteria hold are released, the others stay
/// with each reason.
/// </summary>
public sealed class ReleaseAllDue(Database db, ReleaseOrder release)
{
    public async Task<ReleaseRound> HandleAsync(Actor actor, CancellationToken ct = default)
    {
        actor.Require(Permission.ControlPeople);
        var today = db.Calendar.LocalDate(db.Now);
        var due = await ControlRepository.ListAsync(db, new OrderQuery(Fangkong.Control.ControlStatus.UnderControl, null, actor.Within, true, int.MaxValue, today), ct);
        var keys = (await Storage.People.PersonRepository.LoadByIdsAsync(db, due.Select(o => o.PersonId).Distinct(), ct)).ToDictionary(p => p.Id, p => p.Person.PersonKey);
        var released = 0;
        var refused = new List<string>();
        foreach (var o in due)
        {
            try
            {
                await release.HandleAsync(actor, new ReleaseOrderCommand(keys[o.PersonId], null, o.Id), ct);
                released++;
            }
            catch (Fangkong.Control.RefusedException e)
            {
                refused.Add(e.Message);
            }
        }
        return new ReleaseRound(due.Count, released, refused);
    }
}
