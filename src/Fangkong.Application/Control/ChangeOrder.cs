using Fangkong.Application.Access;
using Fangkong.Application.Audit;
using Fangkong.Application.Policies;
using Fangkong.Control;
using Fangkong.Input;
using Fangkong.Policies;
using Fangkong.Storage.Control;
using Fangkong.Storage;
using Fangkong.Text;

namespace Fangkong.Application.Control;

public sealed record ChangeMeasureCommand(string PersonKey, ControlMeasure Measure, string Reason, int? ExpectedVersion = null, long? OrderId = null);

/// <summary>An officer changes an order's measure with a reason (e.g. home quarantine for a person who cannot be moved).</summary>
public sealed class ChangeMeasure(Database db, PeopleInScope people, PolicyCatalog catalog, AuditSink audit)
{
    public Task<ControlOrder> HandleAsync(Actor actor, ChangeMeasureCommand command, CancellationToken ct = default)
    {
        actor.Require(Permission.ControlPeople);
        return audit.AuditedAsync(actor, "control.measure", $"person:{command.PersonKey}", async () =>
        {
            FreeText.Require("reason", command.Reason, FreeText.Long, multiline: true);
            var person = await people.OpenOrderAsync(actor, command.PersonKey, command.OrderId, ct);
            var order = person.ActiveOrder;
            var changed = await MeasureActions.ChangeMeasureAsync(db, catalog.Get(order.PolicyId), order.Id, command.Measure, command.Reason, actor.Name, command.ExpectedVersion, ct);
            return (changed, AuditDetail.Write("measure", Phrase.Number(order.Id), Phrase.Text("measure." + order.Measure.ToCode()), Phrase.Text("measure." + changed.Measure.ToCode()), command.Reason));
        });
    }
}

public sealed record AssignMonitorCommand(string PersonKey, string StaffKey, long? OrderId = null);

/// <summary>Names the monitor (包保责任人) of an order: active staff responsible for the person's place.</summary>
public sealed class AssignMonitor(Database db, PeopleInScope people, AuditSink audit)
{
    public Task<ControlOrder> HandleAsync(Actor actor, AssignMonitorCommand command, CancellationToken ct = default)
    {
        actor.Require(Permission.ControlPeople);
        return audit.AuditedAsync(actor, "control.monitor", $"person:{command.PersonKey}", async () =>
        {
            var person = await people.OpenOrderAsync(actor, command.PersonKey, command.OrderId, ct);
            var order = person.ActiveOrder;
            var changed = await MeasureActions.AssignMonitorAsync(db, order.Id, command.StaffKey, actor.Name, ct);
            return (changed, AuditDetail.Write("monitor", Phrase.Number(order.Id), command.StaffKey));
        });
    }
}

public sealed record ArrivalCommand(string PersonKey, ControlGroup Group, DateOnly DayZero);

/// <summary>Puts an arrival from a risk area under the policy's measure for their group (day 0: the day they left the area).</summary>
public sealed class AddArrival(Database db, PeopleInScope people, StorePolicy policy, AuditSink audit)
{
    public Task<ControlOrder> HandleAsync(Actor actor, ArrivalCommand command, CancellationToken ct = default)
    {
        actor.Require(Permission.ControlPeople);
        return audit.AuditedAsync(actor, "control.arrival", $"person:{command.PersonKey}", async () =>
        {
            var person = await people.OpenAsync(actor, command.PersonKey, ct);
            var profile = await policy.ForAsync(person.Stored.Person.CommunityCode, ct);
            await ControlSync.AddArrivalAsync(db, profile, person.Id, command.Group, command.DayZero, ct);
            var order = (await ControlRepository.ActiveForAsync(db, person.Id, ct))!;
            return (order, AuditDetail.Write("arrival", Phrase.Number(order.Id), Phrase.Text("group." + command.Group.ToCode()), Phrase.Date(command.DayZero), profile.Id));
        });
    }
}
