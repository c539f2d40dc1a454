using Fangkong.Application.Access;
using Fangkong.Application.Audit;
using Fangkong.Control;
using Fangkong.Input;
using Fangkong.Jurisdictions;
using Fangkong.Policies;
using Fangkong.Storage;
using Fangkong.Storage.Checkins;
using Fangkong.Storage.Privacy;
using Fangkong.Time;

namespace Fangkong.Application.Privacy;

/// <summary>What a retention run did: the first local day of check-ins kept, the check-ins dropped, and the records detached from identities.</summary>
public sealed record RetentionReport(DateOnly FirstKeptDay, long CheckinsDropped, DateOnly ReleasedBefore, PseudonymizeCounts Detached);

/// <summary>
/// The retention rules of the policy profile (数据最小化), run by the operator (<c>fangkong retention run</c>)
/// or by the server each day: check-ins older than the profile's whole days are dropped; then people
/// released longer ago than the profile's days, whose exposures lie before the first check-in kept, have
/// their contacts, orders, health checks and tasks detached from their identity (<see cref="Pseudonymizer"/>).
/// Audited with the counts only (never the people).
/// </summary>
public sealed class RunRetention(Database db, AuditSink audit)
{
    public Task<RetentionReport> HandleAsync(Actor actor, PolicyProfile policy, CancellationToken ct = default)
    {
        actor.Require(Permission.RunRetention);
        return audit.AuditedAsync(actor, "retention.run", "store", async () =>
        {
            var keep = policy.Keep;
            var today = db.Calendar.LocalDate(db.Now);
            var firstKept = today.AddDays(-(keep.CheckinDays - 1));
            long dropped = 0;
            foreach (var kind in StayKind.All)
            {
                // Check-ins and grid stays are kept the same number of days.
                var store = await CheckinStores.OpenAsync(db, kind, ct);
                dropped += await store.DropDaysBeforeAsync(DeploymentCalendar.DayNumber(firstKept), ct);
            }
            var releasedBefore = today.AddDays(-keep.PseudonymizeAfterReleaseDays);
            var firstKeptAt = db.Calendar.StartOfDay(firstKept);
            var people = await Pseudonymizer.ReleasedBeforeAsync(db, db.Calendar.StartOfDay(releasedBefore), firstKeptAt, ct);
            var detached = await Pseudonymizer.DetachAsync(db, people, db.Now, firstKeptAt, ct);
            var report = new RetentionReport(firstKept, dropped, releasedBefore, detached);
            return (report, $"{policy.Id}: check-ins before {firstKept:yyyy-MM-dd} dropped ({dropped}); released before {releasedBefore:yyyy-MM-dd}: {Describe(detached)}");
        });
    }

    internal static string Describe(PseudonymizeCounts d) =>
        $"{d.People} people detached ({d.Orders} orders, {d.HealthChecks} health checks, {d.Tasks} tasks, {d.Contacts} contacts, {d.Exposures} exposures, {d.Cases} cases)";
}

public sealed record CloseOutbreakCommand(JurisdictionCode Jurisdiction, string Decision);

/// <summary>
/// A commander declares the outbreak in their jurisdiction closed (疫情结束): the personal data of every
/// case, contact and controlled person living there is detached from their identity at once, the
/// aggregates (counts by area, tier, date and measure) kept. Refused while any order there is still
/// active; the decision, with its reason, is in the audit log.
/// </summary>
public sealed class CloseOutbreak(Database db, AuditSink audit)
{
    public Task<PseudonymizeCounts> HandleAsync(Actor actor, CloseOutbreakCommand command, CancellationToken ct = default)
    {
        actor.Require(Permission.CloseOutbreak);
        var target = $"jurisdiction:{command.Jurisdiction.Value}";
        return audit.AuditedAsync(actor, "outbreak.close", target, async () =>
        {
            FreeText.Require("decision", command.Decision, FreeText.Medium, multiline: false);
            if (string.IsNullOrWhiteSpace(command.Decision))
            {
                throw new RefusedException("the decision needs its reason (e.g. the headquarters' notice and its date)", "outbreak.noDecision");
            }
            actor.RequireSees(command.Jurisdiction.Value, target);
            var prefix = Scope.Prefix(command.Jurisdiction);
            var (people, active) = await Pseudonymizer.OutbreakAsync(db, prefix, ct);
            if (active > 0)
            {
                throw new RefusedException($"{active} control orders in {command.Jurisdiction.Value} are still active: release them first", "outbreak.active", active, command.Jurisdiction.Value);
            }
            var detached = await Pseudonymizer.DetachAsync(db, people, db.Now, db.Now, ct);
            return (detached, $"decision: {command.Decision.Trim()}; {RunRetention.Describe(detached)}");
        });
    }
}
