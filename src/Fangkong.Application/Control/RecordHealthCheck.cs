using Fangkong.Application.Access;
using Fangkong.Application.Audit;
using Fangkong.Input;
using Fangkong.Policies;
using Fangkong.Storage.Control;
using Fangkong.Storage;
using Fangkong.Text;

namespace Fangkong.Application.Control;

/// <summary>One health check (健康监测): temperature in °C, symptoms if any.</summary>
public sealed record HealthCheckCommand(string PersonKey, double Temperature, string? Symptoms);

/// <summary>
/// Records a health check on a person's active order: by their monitor or an officer
/// (<see cref="Permission.ControlPeople"/> or <see cref="Permission.CompleteTasks"/>), or by the person
/// themselves (a member of the public reporting on their own record). A fever or a symptom makes an
/// urgent task for the monitor (the order's policy says what a fever is).
/// </summary>
public sealed class RecordHealthCheck(Database db, PeopleInScope people, PolicyCatalog catalog, AuditSink audit)
{
    /// <returns>True when the check made an urgent task (a fever by the order's policy, or a symptom).</returns>
    public Task<bool> HandleAsync(Actor actor, HealthCheckCommand command, CancellationToken ct = default)
    {
        var self = actor.PersonId is not null;
        if (self)
        {
            actor.Require(Permission.ViewOwnRecord);
        }
        else if (!actor.Can(Permission.ControlPeople))
        {
            actor.Require(Permission.CompleteTasks);
        }
        return audit.AuditedAsync(actor, self ? "self.report" : "control.check", $"person:{command.PersonKey}", async () =>
        {
            FreeText.Require("symptoms", command.Symptoms, FreeText.Long, multiline: true);
            // A member of the public reports only on their own record, wherever their account's jurisdiction is.
            var person = self ? await people.OpenAsync(Actor.System(actor.Name), actor.PersonId!.Value, ct) : await people.OpenAsync(actor, command.PersonKey, ct);
            if (self && person.Key != command.PersonKey)
            {
                throw new OutsideJurisdictionException($"person:{command.PersonKey}");
            }
            var order = person.ActiveOrder;
            var policy = catalog.Get(order.PolicyId);
            await MonitoringActions.RecordCheckAsync(db, policy, person.Id, command.Temperature, command.Symptoms, self ? "self:" + actor.Name : actor.Name, ct);
            var urgent = command.Temperature >= policy.FeverThresholdCelsius || !string.IsNullOrWhiteSpace(command.Symptoms);
            return (urgent, AuditDetail.Write("check", Phrase.Number(order.Id), command.Temperature.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture), command.Symptoms ?? ""));
        });
    }
}
