using Fangkong.Application.Access;
using Fangkong.Application.Audit;
using Fangkong.Application.Policies;
using Fangkong.Application.Tracing;
using Fangkong.Control;
using Fangkong.Policies;
using Fangkong.Storage;
using Fangkong.Storage.Control;
using Fangkong.Storage.Sites;
using Fangkong.Text;

namespace Fangkong.Application.Control;

/// <summary>Many orders take the same step that needs no details (a community worker's round of calls, a site's intake).</summary>
/// <param name="ByMonitors">Record each order's step as done by its own monitor (a round of community workers), else by the actor.</param>
public sealed record MoveRoundCommand(IReadOnlyList<long> OrderIds, ControlStatus From, ControlStatus To, string Detail, bool ByMonitors = false);

/// <summary>Many orders take a step with its own details each (the transfers of a day: vehicle and crew).</summary>
public sealed record StepRoundCommand(ControlStatus To, IReadOnlyList<(long OrderId, MoveDetails Details)> Steps);

/// <summary>Orders waiting for a site go home instead (the task force's decision when rooms run out), with the reason.</summary>
public sealed record SendHomeRoundCommand(IReadOnlyList<long> OrderIds, ControlMeasure Measure, string Reason);

/// <summary>A household placed together in a room: the people, by internal id.</summary>
/// <param name="SplitReason">When given, a household no room takes whole is split over as few rooms as hold it, with this reason in each member's log.</param>
public sealed record HouseholdCommand(IReadOnlyList<int> PersonIds, string? SplitReason = null);

/// <summary>A sampling round: each person's sample for their earliest due test.</summary>
public sealed record SampleRoundCommand(IReadOnlyList<(int PersonId, string SampleKey)> Samples);

/// <summary>A lab's batch of results, by sample number.</summary>
public sealed record ResultRoundCommand(IReadOnlyList<(string SampleKey, string Result)> Results);

/// <summary>A round of health checks (temperature and symptoms).</summary>
public sealed record CheckRoundCommand(IReadOnlyList<HealthCheck> Checks);

/// <summary>What a round of results did: how many positives made cases, and the re-trace they started.</summary>
public sealed record ResultRoundOutcome(int Recorded, int NewCases, RetraceOutcome? Retrace);

/// <summary>
/// The field teams' work done many at a time, one transaction and one audit entry per round
/// (<c>control.round.{step}</c>, <c>control.round.sample</c>, …, with the count and the first orders):
/// what a day of a county's officers, a lab's batch or the demo's simulated responders do. Each round
/// runs the same rules as the one-person actions; a round that reaches outside the actor's
/// jurisdiction is refused whole and changes nothing.
/// </summary>
public sealed class FieldRounds(Database db, StorePolicy policies, CaseTracing tracing, AuditSink audit)
{
    public Task<int> MoveAsync(Actor actor, MoveRoundCommand command, CancellationToken ct = default) =>
        RoundAsync(actor, Permission.ControlPeople, command.To.ToCode(), command.OrderIds, async s =>
            await ControlActions.MoveManyAsync(s, command.OrderIds, command.From, command.To, actor.Name, command.Detail, ct, command.ByMonitors), ct);

    public Task<int> StepAsync(Actor actor, StepRoundCommand command, CancellationToken ct = default) =>
        RoundAsync(actor, Permission.ControlPeople, command.To.ToCode(), [.. command.Steps.Select(x => x.OrderId)], async s =>
        {
            foreach (var (order, details) in command.Steps)
            {
                await ControlActions.MoveAsync(s, order, command.To, actor.Name, details, null, ct);
            }
            return command.Steps.Count;
        }, ct);

    public Task<int> SendHomeAsync(Actor actor, SendHomeRoundCommand command, CancellationToken ct = default) =>
        RoundAsync(actor, Permission.ControlPeople, "measure", command.OrderIds, s => MeasureActions.SendHomeManyAsync(s, command.OrderIds, command.Measure, command.Reason, actor.Name, ct), ct);

    /// <summary>Places a household together (the household rule and the room fit as for one person); refused when no room fits.</summary>
    public Task<IReadOnlyList<Placement>> PlaceHouseholdAsync(Actor actor, HouseholdCommand command, CancellationToken ct = default)
    {
        actor.Require(Permission.ControlPeople);
        return audit.AuditedAsync(actor, "control.round.place", Target(actor), async () =>
        {
            await RequirePeopleAsync(actor, command.PersonIds, ct);
            var placed = await SiteRepository.AssignAsync(db, command.PersonIds, new RoomChoice(SplitReason: command.SplitReason), actor.Name, ct);
            return ((IReadOnlyList<Placement>)placed, AuditDetail.Write("roundPlaced", Phrase.Number(placed.Count), string.Join(", ", placed.Select(p => $"{p.PersonId}→{p.SiteKey}/{p.RoomNo}"))));
        });
    }

    public Task<int> SampleAsync(Actor actor, SampleRoundCommand command, CancellationToken ct = default)
    {
        actor.Require(Permission.ControlPeople);
        return audit.AuditedAsync(actor, "control.round.sample", Target(actor), async () =>
        {
            await RequirePeopleAsync(actor, [.. command.Samples.Select(x => x.PersonId)], ct);
            var taken = await StoreSession.RunAsync(db, s => MonitoringActions.SampleManyAsync(s, command.Samples, actor.Name, ct), ct);
            return (taken, AuditDetail.Write("roundSamples", Phrase.Number(taken), Phrase.Number(command.Samples.Count), string.Join(",", command.Samples.Take(20).Select(x => x.SampleKey))));
        });
    }

    /// <summary>Records a lab's batch; positives become cases, and one re-trace follows the batch.</summary>
    public async Task<ResultRoundOutcome> ResultsAsync(Actor actor, ResultRoundCommand command, CancellationToken ct = default)
    {
        actor.Require(Permission.ControlPeople);
        var newCases = await audit.AuditedAsync(actor, "control.round.result", Target(actor), async () =>
        {
            if (actor.Within is not null)
            {
                var communities = await ControlRepository.CommunitiesOfSamplesAsync(db, [.. command.Results.Select(r => r.SampleKey)], ct);
                foreach (var (sample, community) in communities)
                {
                    actor.RequireSees(community, $"sample:{sample}");
                }
            }
            var cases = await StoreSession.RunAsync(db, async s =>
            {
                var n = 0;
                foreach (var (sample, result) in command.Results)
                {
                    n += await MonitoringActions.ResultAsync(s, sample, result, actor.Name, ct) ? 1 : 0;
                }
                return n;
            }, ct);
            return (cases, AuditDetail.Write("roundResults", Phrase.Number(command.Results.Count), Phrase.Number(command.Results.Count(r => r.Result == "positive")), Phrase.Number(cases)));
        });
        var traced = newCases > 0 ? await tracing.AfterChangeAsync(actor, null, ct) : null;
        return new ResultRoundOutcome(command.Results.Count, newCases, traced);
    }

    public Task<int> ChecksAsync(Actor actor, CheckRoundCommand command, PolicyProfile? policy = null, CancellationToken ct = default)
    {
        if (!actor.Can(Permission.ControlPeople))
        {
            actor.Require(Permission.CompleteTasks);
        }
        return RoundAsync(actor, null, "check", [.. command.Checks.Select(c => c.OrderId)], async s =>
        {
            // The fever rule of the round's profile (the store's unless given).
            await MonitoringActions.RecordChecksAsync(s, policy ?? await policies.CurrentAsync(ct), command.Checks, actor.Name, ct);
            return command.Checks.Count;
        }, ct);
    }

    private Task<int> RoundAsync(Actor actor, Permission? permission, string step, IReadOnlyList<long> orderIds, Func<StoreSession, Task<int>> act, CancellationToken ct)
    {
        if (permission is { } p)
        {
            actor.Require(p);
        }
        return audit.AuditedAsync(actor, $"control.round.{step}", Target(actor), async () =>
        {
            await RequireOrdersAsync(actor, orderIds, ct);
            var done = orderIds.Count == 0 ? 0 : await StoreSession.RunAsync(db, act, ct);
            return (done, AuditDetail.Write("round", Phrase.Number(done), Phrase.Number(orderIds.Count), string.Join(",", orderIds.Take(50).Select(o => "#" + o))));
        });
    }


    private static string Target(Actor actor) => $"jurisdiction:{actor.Jurisdiction.Value}";

    private async Task RequireOrdersAsync(Actor actor, IReadOnlyList<long> orderIds, CancellationToken ct)
    {
        if (actor.Within is null)
        {
            return;
        }
        foreach (var (order, community) in await ControlRepository.CommunitiesOfOrdersAsync(db, orderIds, ct))
        {
            actor.RequireSees(community, $"order:{order}");
        }
    }

    private async Task RequirePeopleAsync(Actor actor, IReadOnlyList<int> personIds, CancellationToken ct)
    {
        if (actor.Within is null)
        {
            return;
        }
        foreach (var person in await Storage.People.PersonRepository.LoadByIdsAsync(db, personIds, ct))
        {
            actor.RequireSees(person.Person.CommunityCode, $"person:{person.Person.PersonKey}");
        }
    }
}
