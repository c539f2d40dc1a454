using Dapper;
using Fangkong.Jurisdictions;
using Fangkong.Policies;
using Fangkong.Tasks;

namespace Fangkong.Storage.Control;

/// <summary>What one run of the clock produced.</summary>
/// <param name="NewTasks">Tasks created by this run (the others were already there).</param>
public sealed record TickOutcome(int NewTasks, int MissedTests, int MissedChecks, int ReleasesDue, int Escalations);

/// <summary>
/// Runs the rules that depend on time, as of the store's clock: a scheduled test not sampled by the
/// end of its day, a day with fewer health checks than the policy asks, and a planned end reached
/// each make a task; open tasks past their due time escalate up the jurisdiction chain after the
/// policy's delays, each escalation recorded. Idempotent: running it twice at the same time adds nothing.
/// </summary>
public static class ControlClock
{
    /// <summary>Days back the check rule looks, so that a clock run skipped for a day or two still finds the gaps.</summary>
    private const int CheckLookBackDays = 3;

    public static async Task<TickOutcome> TickAsync(Database db, PolicyProfile policy, CancellationToken ct = default)
    {
        var now = db.Now;
        var today = db.Calendar.LocalDate(now);
        await using var s = await StoreSession.BeginAsync(db, ct);
        var (c, tx) = (s.Connection, s.Transaction);
        var tasks = new List<TaskRow>();
        // The day's tests are the testing team's work list: each is a task due by the day's end. A test or
        // health check missed and found only later (the clock did not run that day) is due by the end of
        // the day it is found: the catch-up (补采, a call to the person) escalates only when that day passes too.
        var endOfToday = db.Calendar.StartOfDay(today.AddDays(1));

        var testsDue = await c.QueryAsync<(long Order, long Person, string Due, long Day, long? Monitor, string? Community)>(new CommandDefinition(
            "SELECT t.order_id, t.person_id, t.due_date, t.day_number, o.monitor_id, p.community_code FROM scheduled_tests t JOIN control_orders o ON o.id = t.order_id " +
            "JOIN persons p ON p.id = t.person_id WHERE t.sampled_at IS NULL AND t.due_date <= @today AND o.active = 1 AND o.status <> 'lost'",
            new { today = Dates.Format(today) }, tx, cancellationToken: ct));
        foreach (var t in testsDue)
        {
            var due = Dates.Parse(t.Due);
            tasks.Add(new TaskRow(TaskKeys.Test(t.Order, due), "test", TaskTitle.Of("test", t.Day.ToString(System.Globalization.CultureInfo.InvariantCulture), TaskTitle.Date(due)), "order", t.Order, (int)t.Person, t.Monitor,
                Scope.HomeOf(t.Community), 1, endOfToday, now));
        }

        var from = today.AddDays(-CheckLookBackDays);
        var controlled = (await c.QueryAsync<(long Order, long Person, long ControlledAt, long? Monitor, string? Community)>(new CommandDefinition(
            "SELECT o.id, o.person_id, o.controlled_at, o.monitor_id, p.community_code FROM control_orders o JOIN persons p ON p.id = o.person_id " +
            "WHERE o.active = 1 AND o.status = 'under_control' AND o.controlled_at IS NOT NULL AND o.grp <> 'case'", transaction: tx, cancellationToken: ct))).ToList();
        var checks = (await c.QueryAsync<(long Order, string Date, long Count)>(new CommandDefinition(
            "SELECT order_id, local_date, COUNT(*) FROM health_checks WHERE local_date >= @from AND local_date < @today GROUP BY order_id, local_date",
            new { from = Dates.Format(from), today = Dates.Format(today) }, tx, cancellationToken: ct))).ToDictionary(x => (x.Order, x.Date), x => x.Count);
        var missedChecks = 0;
        foreach (var o in controlled)
        {
            var first = db.Calendar.LocalDate(o.ControlledAt).AddDays(1);   // the day of arrival is partial
            for (var d = first > from ? first : from; d < today; d = d.AddDays(1))
            {
                var key = Dates.Format(d);
                if (checks.GetValueOrDefault((o.Order, key)) < policy.Control.HealthChecksPerDay)
                {
                    var title = TaskTitle.Of("healthCheck", TaskTitle.Date(d), policy.Control.HealthChecksPerDay.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    tasks.Add(new TaskRow(TaskKeys.HealthCheck(o.Order, d), "health_check", title, "order", o.Order, (int)o.Person,
                        o.Monitor, Scope.HomeOf(o.Community), 2, endOfToday, now));
                    missedChecks++;
                }
            }
        }

        var ending = await c.QueryAsync<(long Order, long Person, string End, long? Monitor, string? Community, long Identified)>(new CommandDefinition(
            "SELECT o.id, o.person_id, o.planned_end, o.monitor_id, p.community_code, o.identified_at FROM control_orders o JOIN persons p ON p.id = o.person_id " +
            "WHERE o.active = 1 AND o.grp <> 'case' AND o.planned_end IS NOT NULL AND o.planned_end <= @today", new { today = Dates.Format(today) }, tx, cancellationToken: ct));
        foreach (var e in ending)
        {
            var end = Dates.Parse(e.End);
            var county = Scope.CountyOf(e.Community);
            tasks.Add(new TaskRow(TaskKeys.Release(e.Order), "release", TaskTitle.Of("release", TaskTitle.Date(end)), "order", e.Order, (int)e.Person, null, county, 1,
                Math.Max(db.Calendar.StartOfDay(end), e.Identified) + policy.Control.ReleaseReviewWithinHours * 3600L, now));
        }
        var created = await BulkWriter.UpsertAsync(s, ControlTables.Tasks, tasks, ct);

        var escalations = await EscalateOverdueAsync(s, policy.Control.EscalateAfterHoursOverdue, $"overdue under {policy.Id}", ct);
        await s.CommitAsync(ct);
        var missedTestCount = testsDue.Count(t => string.CompareOrdinal(t.Due, Dates.Format(today)) < 0);
        var reviews = tasks.Count(t => t.Kind == "release");
        return new TickOutcome((int)created, missedTestCount, missedChecks, reviews, escalations);
    }

    /// <summary>
    /// Moves every open overdue task to the level its delay has reached, in three set-based steps
    /// (region, then city, then county), recording each move; a task whose owner would not change
    /// (its home is already that division) keeps its level.
    /// </summary>
    private static async Task<int> EscalateOverdueAsync(StoreSession s, EscalationRule rule, string reason, CancellationToken ct)
    {
        var now = s.Db.Now;
        var total = 0;
        for (var level = TaskEscalation.Top; level >= 1; level--)
        {
            var (hours, owner) = (TaskEscalation.HoursFor(rule, level), TaskEscalation.OwnerSql("home_jurisdiction", level));
            var where = $"status = 'open' AND escalation_level < {level} AND due_at <= @limit AND {owner} <> owner_jurisdiction";
            var args = new { limit = now - hours * 3600L, now, reason };
            await s.Connection.ExecuteAsync(new CommandDefinition(
                $"INSERT INTO task_escalations (task_id, at, from_jurisdiction, to_jurisdiction, hours_overdue, reason) " +
                $"SELECT id, @now, owner_jurisdiction, {owner}, CAST((@now - due_at) / 3600 AS INTEGER), @reason FROM tasks WHERE {where}", args, s.Transaction, cancellationToken: ct));
            total += await s.Connection.ExecuteAsync(new CommandDefinition(
                $"UPDATE tasks SET owner_jurisdiction = {owner}, escalation_level = {level}, owner_staff_id = NULL, version = version + 1 WHERE {where}", args, s.Transaction, cancellationToken: ct));
        }
        return total;
    }

}
