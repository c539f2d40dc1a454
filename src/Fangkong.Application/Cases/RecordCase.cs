using Fangkong.Application.Access;
using Fangkong.Application.Audit;
using Fangkong.Application.Control;
using Fangkong.Application.Tracing;
using Fangkong.Cases;
using Fangkong.Control;
using Fangkong.Policies;
using Fangkong.Storage.Cases;
using Fangkong.Storage;
using Fangkong.Text;

namespace Fangkong.Application.Cases;

/// <summary>A new case: the person, classification and the dates its tracing window comes from (times in Unix seconds).</summary>
/// <param name="Policy">The profile the re-trace follows; null: the store's choice.</param>
public sealed record RecordCaseCommand(string PersonKey, CaseClassification Classification, DateOnly? Onset, long? Sampling, long? Report, long? Isolation, PolicyProfile? Policy = null);

/// <summary>A case record that breaks <see cref="CaseRules"/>: every problem with its field. Nothing was changed.</summary>
public sealed class CaseInvalidException(IReadOnlyList<CaseProblem> problems)
    : RefusedException(string.Join("; ", problems.Select(p => p.Message)), "case.invalid")
{
    public IReadOnlyList<CaseProblem> Problems { get; } = problems;
}

/// <summary>What recording or classifying a case did, with the re-trace when the case counts as one.</summary>
public sealed record CaseOutcome(StoredCase Case, RetraceOutcome? Retrace);

/// <summary>
/// Records a case (流调: 病例) for a person in the actor's jurisdiction. A confirmed or asymptomatic case is
/// traced (<see cref="CaseTracing"/>: at once on the command line, behind the answer in the server); a
/// suspected one waits for its confirmation.
/// </summary>
public sealed class RecordCase(Database db, PeopleInScope people, CaseTracing tracing, AuditSink audit)
{
    public async Task<CaseOutcome> HandleAsync(Actor actor, RecordCaseCommand command, CancellationToken ct = default)
    {
        actor.Require(Permission.EditCases);
        var stored = await audit.AuditedAsync(actor, "case.add", $"person:{command.PersonKey}", async () =>
        {
            var person = await people.OpenAsync(actor, command.PersonKey, ct);
            var report = command.Report ?? db.Now;
            if (CaseRules.Problems(command.Classification, command.Onset, command.Sampling, report, db.Calendar) is { Count: > 0 } problems)
            {
                throw new CaseInvalidException(problems);
            }
            if ((await CaseRepository.LoadAllAsync(db, ct)).Any(c => c.PersonId == person.Id))
            {
                throw new RefusedException($"{person.Key} already has a case record; reclassify it instead", "case.exists", person.Key);
            }
            var record = new StoredCase(person.Id, command.Classification, command.Onset, command.Sampling, report, command.Isolation);
            await CaseRepository.SaveAsync(db, record, ct);
            return (record, command.Classification.ToCode());
        });
        var traced = command.Classification.CountsAsCase() ? await tracing.AfterChangeAsync(actor, command.Policy, ct) : null;
        return new CaseOutcome(stored, traced);
    }
}

public sealed record ClassifyCaseCommand(string PersonKey, CaseClassification To, PolicyProfile? Policy = null);

/// <summary>Confirms (确诊), reclassifies or withdraws (not_a_case) a recorded case; the contacts are traced again at once.</summary>
public sealed class ClassifyCase(Database db, PeopleInScope people, CaseTracing tracing, AuditSink audit)
{
    public async Task<CaseOutcome> HandleAsync(Actor actor, ClassifyCaseCommand command, CancellationToken ct = default)
    {
        actor.Require(Permission.EditCases);
        var stored = await audit.AuditedAsync(actor, "case.classify", $"person:{command.PersonKey}", async () =>
        {
            var person = await people.OpenAsync(actor, command.PersonKey, ct);
            var existing = (await CaseRepository.LoadAllAsync(db, ct)).FirstOrDefault(c => c.PersonId == person.Id)
                ?? throw new RefusedException($"{person.Key} has no case record", "case.missing", person.Key);
            var record = existing with { Classification = command.To };
            await CaseRepository.SaveAsync(db, record, ct);
            return (record, AuditDetail.Write("classify", Phrase.Text("classification." + existing.Classification.ToCode()), Phrase.Text("classification." + command.To.ToCode())));
        });
        return new CaseOutcome(stored, await tracing.AfterChangeAsync(actor, command.Policy, ct));
    }
}
