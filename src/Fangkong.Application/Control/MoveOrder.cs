using Fangkong.Application.Access;
using Fangkong.Application.Audit;
using Fangkong.Control;
using Fangkong.Input;
using Fangkong.Storage.Control;
using Fangkong.Storage;
using Fangkong.Text;

namespace Fangkong.Application.Control;

/// <summary>One step of a person's loop: notified, transfer dispatched (vehicle, crew), arrived, under control, lost (reason).</summary>
public sealed record MoveOrderCommand(string PersonKey, ControlStatus To, MoveDetails Details, int? ExpectedVersion = null, long? OrderId = null);

/// <summary>
/// Moves a person's active order one step along the loop (闭环). Audited as <c>control.{step}</c> on the
/// person; a step the loop does not allow, a missing detail or a change made meanwhile is refused and changes nothing.
/// </summary>
public sealed class MoveOrder(Database db, PeopleInScope people, AuditSink audit)
{
    public Task<ControlOrder> HandleAsync(Actor actor, MoveOrderCommand command, CancellationToken ct = default)
    {
        // Telling a person of their measure is the community worker's job too; every other step is the control officer's.
        actor.Require(command.To == Fangkong.Control.ControlStatus.Notified ? Permission.NotifyPeople : Permission.ControlPeople);
        return audit.AuditedAsync(actor, $"control.{command.To.ToCode()}", $"person:{command.PersonKey}", async () =>
        {
            FreeText.Require("reason", command.Details.Reason, FreeText.Long, multiline: true);
            FreeText.Require("vehicle", command.Details.Vehicle, FreeText.Short);
            FreeText.Require("crew", command.Details.Crew, FreeText.Short);
            FreeText.Require("pickup", command.Details.Pickup, FreeText.Medium);
            var person = await people.OpenOrderAsync(actor, command.PersonKey, command.OrderId, ct);
            var order = person.ActiveOrder;
            var moved = await ControlActions.MoveAsync(db, order.Id, command.To, actor.Name, command.Details, command.ExpectedVersion, ct);
            return (moved, AuditDetail.Write("move", Phrase.Number(order.Id), Phrase.Text("status." + order.Status.ToCode()), Phrase.Text("status." + moved.Status.ToCode())));
        });
    }
}
