using Fangkong.Application.Access;
using Fangkong.Application.Audit;
using Fangkong.Application.Tracing;
using Fangkong.Policies;
using Fangkong.Storage.Control;
using Fangkong.Storage;
using Fangkong.Text;

namespace Fangkong.Application.Control;

public sealed record SampleCommand(string PersonKey, string SampleKey);

/// <summary>A sample (采样) taken for the person's earliest due scheduled test; completes the test's task.</summary>
public sealed class RecordSample(Database db, PeopleInScope people, AuditSink audit)
{
    public Task<TestSlot> HandleAsync(Actor actor, SampleCommand command, CancellationToken ct = default)
    {
        actor.Require(Permission.RecordSamples);
        return audit.AuditedAsync(actor, "control.sample", $"person:{command.PersonKey}", async () =>
        {
            var person = await people.OpenAsync(actor, command.PersonKey, ct);
            var slot = await MonitoringActions.SampleAsync(db, person.Id, command.SampleKey, actor.Name, ct);
            return (slot, AuditDetail.Write("sample", command.SampleKey, Phrase.Number(slot.DayNumber), Phrase.Number(slot.OrderId)));
        });
    }
}

/// <param name="Policy">The profile the re-trace of a new case follows; null: the store's choice.</param>
public sealed record ResultCommand(string SampleKey, string Result, PolicyProfile? Policy = null);

/// <summary>What a result did: the person it concerned and, for a positive, the new case's trace.</summary>
public sealed record ResultOutcome(int PersonId, bool BecameCase, RetraceOutcome? Retrace);

/// <summary>
/// A lab result for a sample. A positive makes the person a case (asymptomatic unless a symptom was
/// recorded) and re-traces at once under the store's policy, so that their contacts get orders.
/// </summary>
public sealed class RecordResult(Database db, PeopleInScope people, CaseTracing tracing, AuditSink audit)
{
    public Task<ResultOutcome> HandleAsync(Actor actor, ResultCommand command, CancellationToken ct = default)
    {
        actor.Require(Permission.RecordSamples);
        return audit.AuditedAsync(actor, "control.result", $"sample:{command.SampleKey}", async () =>
        {
            var slot = await ControlRepository.FindSampleAsync(db, command.SampleKey, ct)
                ?? throw new Fangkong.Control.RefusedException($"unknown sample '{command.SampleKey}': no sample with that number was taken", "sample.unknown", command.SampleKey);
            var person = await people.OpenAsync(actor, slot.PersonId, ct);
            var converted = await MonitoringActions.ResultAsync(db, command.SampleKey, command.Result, actor.Name, ct);
            var traced = converted ? await tracing.AfterChangeAsync(actor, command.Policy, ct) : null;
            return (new ResultOutcome(person.Id, converted, traced), AuditDetail.Write(converted ? "resultCase" : "result", person.Key, command.Result is "negative" or "positive" ? Phrase.Text("result." + command.Result) : command.Result));
        });
    }
}
