using Dapper;
using Fangkong.Control;
using Fangkong.Jurisdictions;
using Fangkong.Policies;

namespace Fangkong.Storage.Control;

/// <summary>What one synchronisation of orders with the traced contacts and cases did.</summary>
public sealed record SyncOutcome(int Created, int Extended, int Upgraded, int Converted, int Reviews, int Tasks);

/// <summary>
/// Brings the control orders in line with the stored contacts and cases (应隔尽隔): every close or
/// secondary contact and every case gets exactly one active order computed from the policy; a later
/// exposure extends the order; a secondary contact who becomes a close contact is upgraded; a contact
/// who becomes a case is converted; an order whose reason has gone is put up for review (never
/// silently released). New orders get their test schedule, a monitor and their first tasks. Idempotent.
/// </summary>
public static class ControlSync
{
    private const string System = "system";

    /// <summary>
    /// Puts an arrival from a risk area under the policy's measure for their group (day 0: the day
    /// they left the area). Refused when the person already has an active order.
    /// </summary>
    public static async Task<SyncOutcome> AddArrivalAsync(Database db, PolicyProfile policy, int personId, ControlGroup group, DateOnly dayZero, CancellationToken ct = default)
    {
        if (group is not (ControlGroup.ArrivalHighRisk or ControlGroup.ArrivalMediumRisk or ControlGroup.ArrivalLowRiskAffectedCounty))
        {
            throw new RefusedException($"{group.ToCode()} orders come from tracing, not from an arrival");
        }
        if (ControlPlan.StepsOf(policy, group).Count == 0)
        {
            throw new RefusedException($"policy {policy.Id} has no measure for {group.ToCode()}");
        }
        if (await ControlRepository.ActiveForAsync(db, personId, ct) is { } active)
        {
            throw new RefusedException($"the person already has an active order #{active.Id} ({active.Group.ToCode()}, {active.Measure.ToCode()}); one person has one order");
        }
        return await RunAsync(db, policy, [(personId, group, dayZero)], ct);
    }

    public static Task<SyncOutcome> RunAsync(Database db, PolicyProfile policy, CancellationToken ct = default) => RunAsync(db, policy, [], ct);

    private static async Task<SyncOutcome> RunAsync(Database db, PolicyProfile policy, IReadOnlyList<(int Person, ControlGroup Group, DateOnly DayZero)> arrivals, CancellationToken ct)
    {
        var now = db.Now;
        var today = db.Calendar.LocalDate(now);
        await using var s = await StoreSession.BeginAsync(db, ct);
        var c = s.Connection;
        var tx = s.Transaction;

        var contacts = (await c.QueryAsync<(long Person, string Tier, long Index, long End)>(new CommandDefinition(
            "SELECT person_id, tier, index_person_id, COALESCE(last_exposure, exposure_end) FROM contacts WHERE tier IN ('close', 'secondary')", transaction: tx, cancellationToken: ct)))
            .ToDictionary(x => (int)x.Person);
        var cases = (await c.QueryAsync<(long Person, string Classification, long Report, long? Isolation)>(new CommandDefinition(
            "SELECT person_id, classification, report_time, isolation_time FROM cases", transaction: tx, cancellationToken: ct)))
            .ToDictionary(x => (int)x.Person);
        var active = (await c.QueryAsync<OrderRow>(new CommandDefinition($"SELECT {OrderRow.Columns} FROM control_orders WHERE active = 1", transaction: tx, cancellationToken: ct)))
            .Select(r => r.ToOrder()).ToDictionary(o => o.PersonId);
        var people = (await c.QueryAsync<(long Id, string? Community, string? Address)>(new CommandDefinition(
            "SELECT id, community_code, address FROM persons WHERE id IN (SELECT person_id FROM contacts WHERE tier IN ('close', 'secondary') UNION SELECT person_id FROM cases)" +
            (arrivals.Count == 0 ? "" : $" OR id IN ({string.Join(",", arrivals.Select(a => a.Person))})"),
            transaction: tx, cancellationToken: ct))).ToDictionary(p => (int)p.Id);
        var monitors = await MonitorPicker.LoadAsync(c, tx, ct);

        var nextId = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            db.Provider == StoreProvider.Postgres ? "LOCK TABLE control_orders IN EXCLUSIVE MODE; SELECT COALESCE(MAX(id), 0) FROM control_orders" : "SELECT COALESCE(MAX(id), 0) FROM control_orders",
            transaction: tx, cancellationToken: ct)) + 1;

        // Rows of new orders cannot exist yet and are appended; rows about existing orders are upserted.
        var newOrders = new List<object?[]>();
        var events = new List<object?[]>();
        var newTests = new List<object?[]>();
        var newTasks = new List<object?[]>();
        var tests = new List<object?[]>();
        var tasks = new List<object?[]>();
        int created = 0, extended = 0, upgraded = 0, converted = 0, reviews = 0;

        string Home(int person) => Scope.HomeOf(people.TryGetValue(person, out var p) ? p.Community : null);
        string County(int person) => Scope.CountyOf(people.TryGetValue(person, out var p) ? p.Community : null);

        void Create(int person, ControlGroup group, DateOnly dayZero, long? lastExposure, int? sourceCase, bool underControl, long? controlledAt)
        {
            var plan = ControlPlan.For(policy, group, dayZero);
            var step = plan.Steps[0];
            var id = nextId++;
            var monitor = monitors.Pick(Home(person));
            var centralized = step.Measure.IsCentralized();
            var transferDue = centralized ? now + policy.TransferWithinHours * 3600L : (long?)null;
            var status = underControl ? ControlStatus.UnderControl : ControlStatus.Identified;
            newOrders.Add([id, person, group.ToCode(), step.Measure.ToCode(), 0, status.ToCode(), 1, Dates.Format(step.DayZero), Dates.Format(today), Dates.Format(step.End),
                lastExposure, (long?)sourceCase, now, underControl ? now : null, underControl ? controlledAt ?? now : null, transferDue, monitor,
                people.TryGetValue(person, out var p) ? p.Address : null, policy.Id, policy.Version, 1, now]);
            events.Add([id, now, System, null, ControlStatus.Identified.ToCode(), $"{group.ToCode()} under {policy.Id} {policy.Version}" + (sourceCase is null ? "" : $", source case #{sourceCase}")]);
            if (underControl)
            {
                events.Add([id, controlledAt ?? now, System, ControlStatus.Identified.ToCode(), ControlStatus.UnderControl.ToCode(), "case isolated"]);
            }
            newTests.AddRange(Schedule(id, person, step, today));
            if (!underControl)
            {
                newTasks.Add(ControlTables.Task($"notify:{id}", "notify", $"告知{group.ToChinese()}管控措施：{step.Measure.ToChinese()}", "order", id, person, monitor, Home(person), 1,
                    now + policy.Control.NotifyWithinHours * 3600L, now));
            }
            if (centralized)
            {
                newTasks.Add(ControlTables.Task($"transfer:{id}", "transfer", "点对点转运至集中隔离点", "order", id, person, null, County(person), 1, transferDue!.Value, now));
            }
            created++;
        }

        foreach (var (person, group, dayZero) in arrivals)
        {
            Create(person, group, dayZero, null, null, false, null);
        }

        // Cases: each confirmed or asymptomatic case has a case order; a contact's order converts.
        foreach (var (person, k) in cases)
        {
            if (k.Classification is not ("confirmed" or "asymptomatic"))
            {
                continue;
            }
            if (active.TryGetValue(person, out var order))
            {
                if (order.Group == ControlGroup.Case)
                {
                    continue;
                }
                await CloseAsync(c, tx, order, ControlStatus.ConvertedToCase, now, ct);
                await Sites.SiteRepository.CheckOutOrdersAsync(c, tx, [order.Id], now, ct);   // moved to a designated hospital
                events.Add([order.Id, now, System, order.Status.ToCode(), ControlStatus.ConvertedToCase.ToCode(), "the person is now a case"]);
                converted++;
            }
            var isolated = k.Isolation is { } iso && iso <= now;
            Create(person, ControlGroup.Case, db.Calendar.LocalDate(k.Report), null, person, isolated, k.Isolation);
        }

        foreach (var (person, x) in contacts)
        {
            if (cases.TryGetValue(person, out var k) && k.Classification is "confirmed" or "asymptomatic")
            {
                continue;
            }
            var group = x.Tier == "close" ? ControlGroup.CloseContact : ControlGroup.SecondaryContact;
            var dayZero = db.Calendar.LocalDate(x.End);
            if (!active.TryGetValue(person, out var order))
            {
                Create(person, group, dayZero, x.End, (int)x.Index, false, null);
                continue;
            }
            if (order.Group == ControlGroup.Case || (order.Group == ControlGroup.CloseContact && group == ControlGroup.SecondaryContact))
            {
                continue;   // highest tier stays; a case order is never replaced by a contact's
            }
            var upgrade = order.Group == ControlGroup.SecondaryContact && group == ControlGroup.CloseContact;
            var later = order.LastExposure is null || x.End > order.LastExposure.Value;
            if (!upgrade && !(later && dayZero > order.DayZero))
            {
                if (later)
                {
                    await c.ExecuteAsync(new CommandDefinition("UPDATE control_orders SET last_exposure = @End WHERE id = @Id", new { x.End, order.Id }, tx, cancellationToken: ct));
                }
                continue;
            }
            var plan = ControlPlan.For(policy, group, upgrade ? dayZero : (dayZero > order.DayZero ? dayZero : order.DayZero));
            var step = plan.Steps[Math.Min(upgrade ? 0 : order.Step, plan.Steps.Count - 1)];
            var status = order.Status;
            long? transferDue = order.TransferDue;
            if (step.Measure.IsCentralized() && !order.Measure.IsCentralized() && status is ControlStatus.UnderControl or ControlStatus.Notified or ControlStatus.Identified)
            {
                // Moving from home to a site: the person needs the transfer and the hand-over again.
                status = status == ControlStatus.Identified ? status : ControlStatus.Notified;
                transferDue = now + policy.TransferWithinHours * 3600L;
                tasks.Add(ControlTables.Task($"transfer:{order.Id}:{order.Version + 1}", "transfer", "点对点转运至集中隔离点（升级为密接）", "order", order.Id, person, null, County(person), 1, transferDue.Value, now));
            }
            await c.ExecuteAsync(new CommandDefinition(
                "UPDATE control_orders SET grp = @Grp, measure = @Measure, step = @Step, status = @Status, day_zero = @DayZero, planned_end = @End, last_exposure = @Last, " +
                "source_case_id = @Source, transfer_due = @TransferDue, policy_id = @PolicyId, policy_version = @PolicyVersion, version = version + 1, updated_at = @now WHERE id = @Id",
                new
                {
                    Grp = group.ToCode(), Measure = step.Measure.ToCode(), Step = upgrade ? 0 : order.Step, Status = status.ToCode(), DayZero = Dates.Format(step.DayZero), End = Dates.Format(step.End),
                    Last = x.End, Source = upgrade ? x.Index : (long?)order.SourceCaseId, TransferDue = transferDue, PolicyId = policy.Id, PolicyVersion = policy.Version, now, order.Id,
                }, tx, cancellationToken: ct));
            await c.ExecuteAsync(new CommandDefinition("DELETE FROM scheduled_tests WHERE order_id = @Id AND sampled_at IS NULL", new { order.Id }, tx, cancellationToken: ct));
            tests.AddRange(Schedule(order.Id, person, step, today));
            var detail = upgrade
                ? $"upgraded to close contact of case #{x.Index}: {step.Measure.ToCode()} until {step.End:yyyy-MM-dd}"
                : $"extended by a new exposure on {dayZero:yyyy-MM-dd}: planned end {order.PlannedEnd:yyyy-MM-dd} → {step.End:yyyy-MM-dd}";
            events.Add([order.Id, now, System, order.Status.ToCode(), status.ToCode(), detail]);
            if (upgrade)
            {
                upgraded++;
            }
            else
            {
                extended++;
            }
        }

        // Orders whose reason has gone (a case reclassified as not a case): reviewed by a person, not dropped.
        foreach (var (person, order) in active)
        {
            var stillCase = cases.TryGetValue(person, out var k) && k.Classification is "confirmed" or "asymptomatic";
            var gone = order.Group switch
            {
                ControlGroup.Case => !stillCase,
                ControlGroup.CloseContact or ControlGroup.SecondaryContact => !stillCase && !contacts.ContainsKey(person),
                _ => false,
            };
            if (gone)
            {
                tasks.Add(ControlTables.Task($"review:{order.Id}:{order.Version}", "review", "复核管控令：判定依据已变化（病例订正或重新追踪）", "order", order.Id, person, order.MonitorId, County(person), 2,
                    now + policy.Control.NotifyWithinHours * 3600L, now));
                reviews++;
            }
        }

        await BulkWriter.AppendAsync(s, ControlTables.Orders, newOrders, ct);
        await BulkWriter.AppendAsync(s, ControlTables.Events, events, ct);
        await BulkWriter.AppendAsync(s, ControlTables.Tests, newTests, ct);
        await BulkWriter.UpsertAsync(s, ControlTables.Tests, tests, ct);
        var taskCount = await BulkWriter.AppendAsync(s, ControlTables.Tasks, newTasks, ct) + await BulkWriter.UpsertAsync(s, ControlTables.Tasks, tasks, ct);
        await c.ExecuteAsync(new CommandDefinition("DELETE FROM settings WHERE key = 'control_synced_at'", transaction: tx, cancellationToken: ct));
        await c.ExecuteAsync(new CommandDefinition("INSERT INTO settings (key, value) VALUES ('control_synced_at', @v)",
            new { v = now.ToString(global::System.Globalization.CultureInfo.InvariantCulture) }, tx, cancellationToken: ct));
        await s.CommitAsync(ct);
        return new SyncOutcome(created, extended, upgraded, converted, reviews, (int)taskCount);
    }

    /// <summary>When the orders were last brought in line with the contacts (Unix seconds; 0 if never).</summary>
    public static async Task<long> LastRunAsync(global::System.Data.Common.DbConnection c, global::System.Data.Common.DbTransaction? tx, CancellationToken ct)
    {
        var text = await c.ExecuteScalarAsync<string?>(new CommandDefinition("SELECT value FROM settings WHERE key = 'control_synced_at'", transaction: tx, cancellationToken: ct));
        return long.TryParse(text, global::System.Globalization.NumberStyles.AllowLeadingSign, global::System.Globalization.CultureInfo.InvariantCulture, out var t) ? t : 0;
    }

    /// <summary>
    /// The scheduled tests of a step from the identification day on. Test days already past when the
    /// person is identified collapse into one test on the identification day.
    /// </summary>
    internal static IEnumerable<object?[]> Schedule(long order, int person, PlannedStep step, DateOnly today)
    {
        var past = step.Tests.Where(t => t.Date < today).ToList();
        if (past.Count > 0 && !step.Tests.Any(t => t.Date == today))
        {
            yield return [order, person, Dates.Format(today), past[^1].Day];
        }
        foreach (var (day, date) in step.Tests.Where(t => t.Date >= today))
        {
            yield return [order, person, Dates.Format(date), day];
        }
    }

    internal static async Task CloseAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction tx, ControlOrder order, ControlStatus status, long now, CancellationToken ct)
    {
        var n = await c.ExecuteAsync(new CommandDefinition(
            "UPDATE control_orders SET status = @Status, active = 0, closed_at = @now, version = version + 1, updated_at = @now WHERE id = @Id AND version = @Version",
            new { Status = status.ToCode(), now, order.Id, order.Version }, tx, cancellationToken: ct));
        if (n == 0)
        {
            throw new ConcurrencyException($"order #{order.Id} was changed by someone else; reload it and act again");
        }
    }
}
