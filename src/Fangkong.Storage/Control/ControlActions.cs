using System.Data.Common;
using Dapper;
using Fangkong.Cases;
using Fangkong.Control;
using Fangkong.Jurisdictions;
using Fangkong.Policies;
using Fangkong.Storage.Cases;

namespace Fangkong.Storage.Control;

/// <summary>Details a step of the loop may need: the transfer's vehicle and crew, or a reason.</summary>
public sealed record MoveDetails(string? Reason = null, string? Vehicle = null, string? Crew = null, string? Pickup = null);

/// <summary>One health check: temperature (°C) and symptoms, if any.</summary>
public sealed record HealthCheck(long OrderId, int PersonId, double Temperature, string? Symptoms);

/// <summary>The decision on a release request: released (with the next order, if the plan has one) or refused with every reason.</summary>
public sealed record ReleaseDecision(long OrderId, long? NextOrderId, string Basis);

/// <summary>
/// The officers' actions on orders. Each runs in one transaction, checks the loop and the policy, and
/// writes the step with its time and actor; an action on an order that someone else changed since
/// it was read is refused (optimistic concurrency) and changes nothing.
/// </summary>
public static class ControlActions
{
    public static async Task<ControlOrder> MoveAsync(Database db, long orderId, ControlStatus to, string actor, MoveDetails details, int? expectedVersion = null, CancellationToken ct = default)
    {
        await using var s = await StoreSession.BeginAsync(db, ct);
        await MoveAsync(s, orderId, to, actor, details, expectedVersion, ct);
        await s.CommitAsync(ct);
        return (await ControlRepository.FindAsync(db, orderId, ct))!;
    }

    /// <summary>The step inside a caller's transaction (for batches of many orders).</summary>
    public static async Task MoveAsync(StoreSession s, long orderId, ControlStatus to, string actor, MoveDetails details, int? expectedVersion, CancellationToken ct)
    {
        var db = s.Db;
        var (c, tx, now) = (s.Connection, s.Transaction, db.Now);
        var order = await LoadForChangeAsync(c, tx, orderId, expectedVersion, ct);
        if (to == ControlStatus.Released)
        {
            throw new RefusedException("release is a decision against the policy's criteria, taken by the release action", "loop.releaseIsDecision");
        }
        if (to == ControlStatus.ConvertedToCase)
        {
            throw new RefusedException("a person becomes a case by a positive test result or a recorded case", "loop.caseByResult");
        }
        if (ControlLoop.Refusal(order.Status, to, order.Measure) is { } refusal)
        {
            throw new RefusedException($"order #{order.Id}: {refusal}", "loop.notAllowed", order.Id, refusal);
        }
        string? detail = details.Reason;
        var sets = "status = @To";
        switch (to)
        {
            case ControlStatus.Notified:
                sets += ", notified_at = COALESCE(notified_at, @now), lost_reason = NULL";
                await CompleteTasksAsync(c, tx, order.Id, "notify", actor, now, ct);
                break;
            case ControlStatus.TransferDispatched:
                if (string.IsNullOrWhiteSpace(details.Vehicle) || string.IsNullOrWhiteSpace(details.Crew))
                {
                    throw new RefusedException("a closed-loop transfer needs a vehicle and a crew", "transfer.vehicleCrew");
                }
                var destination = await c.ExecuteScalarAsync<string?>(new CommandDefinition(
                    "SELECT q.site_key || ' room ' || r.room_no FROM room_stays s JOIN site_rooms r ON r.id = s.room_id JOIN quarantine_sites q ON q.id = r.site_id WHERE s.order_id = @Id AND s.checked_out IS NULL",
                    new { order.Id }, tx, cancellationToken: ct))
                    ?? throw new RefusedException($"order #{order.Id}: a point-to-point transfer goes to a room; assign one first", "transfer.noRoom", order.Id);
                var pickup = details.Pickup ?? order.HomeAddress ?? throw new RefusedException("the person has no home address; give a pickup address", "transfer.noPickup");
                await c.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO transfers (order_id, pickup_address, vehicle, crew, due_at, dispatched_at, actor) VALUES (@Id, @pickup, @Vehicle, @Crew, @due, @now, @actor)",
                    new { order.Id, pickup, details.Vehicle, details.Crew, due = order.TransferDue ?? now, now, actor }, tx, cancellationToken: ct));
                detail = $"vehicle {details.Vehicle}, crew {details.Crew}, from {pickup} to {destination}";
                break;
            case ControlStatus.Arrived:
                var stay = await c.QuerySingleOrDefaultAsync<(long Room, long Site, string RoomNo, string SiteKey)?>(new CommandDefinition(
                    "SELECT r.id, r.site_id, r.room_no, q.site_key FROM room_stays s JOIN site_rooms r ON r.id = s.room_id JOIN quarantine_sites q ON q.id = r.site_id WHERE s.order_id = @Id AND s.checked_out IS NULL",
                    new { order.Id }, tx, cancellationToken: ct));
                if (stay is null)
                {
                    throw new RefusedException($"order #{order.Id}: the hand-over is confirmed at a room; assign one first", "arrive.noRoom", order.Id);
                }
                await c.ExecuteAsync(new CommandDefinition("UPDATE transfers SET handed_over_at = @now, site_id = @Site WHERE order_id = @Id AND handed_over_at IS NULL",
                    new { now, stay.Value.Site, order.Id }, tx, cancellationToken: ct));
                await CompleteTasksAsync(c, tx, order.Id, "transfer", actor, now, ct);
                detail = $"handed over at {stay.Value.SiteKey} room {stay.Value.RoomNo}";
                break;
            case ControlStatus.UnderControl:
                sets += ", controlled_at = COALESCE(controlled_at, @now)";
                break;
            case ControlStatus.Lost:
                if (string.IsNullOrWhiteSpace(details.Reason))
                {
                    throw new RefusedException("marking a person lost (失联) needs a reason", "lost.reason");
                }
                sets += ", lost_reason = @Reason";
                break;
        }
        await UpdateAsync(c, tx, order, sets, new { To = to.ToCode(), now, details.Reason }, ct);
        await EventAsync(c, tx, order.Id, now, actor, order.Status, to, detail, ct);
        if (to == ControlStatus.Lost)
        {
            await c.ExecuteAsync(new CommandDefinition(
                "INSERT INTO tasks (task_key, kind, title, source_kind, source_id, person_id, owner_staff_id, owner_jurisdiction, home_jurisdiction, priority, due_at, status, escalation_level, created_at) " +
                "SELECT 'find:' || @Id || ':' || @version, 'find', '查找失联人员', 'order', @Id, @PersonId, monitor_id, COALESCE(p.community_code, '640000'), COALESCE(p.community_code, '640000'), 1, @due, 'open', 0, @now " +
                "FROM control_orders o JOIN persons p ON p.id = o.person_id WHERE o.id = @Id",
                new { order.Id, order.PersonId, version = order.Version + 1, due = now + 2 * 3600, now }, tx, cancellationToken: ct));
        }
    }

    /// <summary>
    /// A bulk step for many orders at once (a list's bulk action): every order that is at
    /// <paramref name="from"/> and for whose measure the step is valid moves, with its event; the
    /// others are left as they are. Only steps that need no further details are allowed here. With
    /// <paramref name="byMonitors"/> each order's step is recorded as done by its own monitor (a round
    /// of community workers), else by <paramref name="actor"/>. Returns how many moved.
    /// </summary>
    public static async Task<int> MoveManyAsync(StoreSession s, IReadOnlyList<long> orderIds, ControlStatus from, ControlStatus to, string actor, string? detail, CancellationToken ct, bool byMonitors = false)
    {
        if (to is ControlStatus.TransferDispatched or ControlStatus.Arrived or ControlStatus.Lost or ControlStatus.Released or ControlStatus.ConvertedToCase)
        {
            throw new RefusedException($"{to.ToCode()} needs details or a decision; move those orders one by one", "bulk.needsDetails");
        }
        var measures = Enum.GetValues<ControlMeasure>().Where(m => ControlLoop.Refusal(from, to, m) is null).Select(m => $"'{m.ToCode()}'").ToList();
        if (measures.Count == 0)
        {
            throw new RefusedException($"{from.ToCode()} → {to.ToCode()} is not a step of the loop", "loop.notAStep");
        }
        var (c, tx, now) = (s.Connection, s.Transaction, s.Db.Now);
        var stamp = to switch
        {
            ControlStatus.Notified => ", notified_at = COALESCE(notified_at, @now)",
            ControlStatus.UnderControl => ", controlled_at = COALESCE(controlled_at, @now)",
            _ => "",
        };
        var who = byMonitors ? "COALESCE((SELECT staff_key FROM staff WHERE staff.id = control_orders.monitor_id), @actor)" : "@actor";
        var moved = 0;
        foreach (var chunk in orderIds.Distinct().Chunk(500))
        {
            var where = $"id IN ({string.Join(",", chunk)}) AND active = 1 AND status = @from AND measure IN ({string.Join(",", measures)})";
            var args = new { from = from.ToCode(), to = to.ToCode(), now, actor, detail };
            await c.ExecuteAsync(new CommandDefinition(
                $"INSERT INTO control_events (order_id, at, actor, from_status, to_status, detail) SELECT id, @now, {who}, status, @to, @detail FROM control_orders WHERE {where}", args, tx, cancellationToken: ct));
            if (to == ControlStatus.Notified)
            {
                await c.ExecuteAsync(new CommandDefinition(
                    $"UPDATE tasks SET status = 'done', done_at = @now, done_by = @actor WHERE source_kind = 'order' AND kind = 'notify' AND status = 'open' AND source_id IN (SELECT id FROM control_orders WHERE {where})",
                    args, tx, cancellationToken: ct));
            }
            moved += await c.ExecuteAsync(new CommandDefinition(
                $"UPDATE control_orders SET status = @to{stamp}, version = version + 1, updated_at = @now WHERE {where}", args, tx, cancellationToken: ct));
        }
        return moved;
    }

    /// <summary>
    /// A bulk measure change (e.g. the task force sends secondary contacts home when the sites are
    /// full): orders waiting for a site (identified or notified, no room yet) leave centralized
    /// quarantine for <paramref name="measure"/>, their pending transfers cancelled, each with its event.
    /// Returns how many changed.
    /// </summary>
    public static async Task<int> SendHomeManyAsync(StoreSession s, IReadOnlyList<long> orderIds, ControlMeasure measure, string reason, string actor, CancellationToken ct)
    {
        if (measure.IsCentralized() || measure == ControlMeasure.CaseIsolation)
        {
            throw new RefusedException($"{measure.ToCode()} is not a home measure", "measure.notHome");
        }
        var (c, tx, now) = (s.Connection, s.Transaction, s.Db.Now);
        var changed = 0;
        foreach (var chunk in orderIds.Distinct().Chunk(500))
        {
            var where = $"id IN ({string.Join(",", chunk)}) AND active = 1 AND grp <> 'case' AND measure = 'centralized_quarantine' AND status IN ({StatusSets.Sql(StatusSets.BeforeTransfer)}) " +
                        "AND NOT EXISTS (SELECT 1 FROM room_stays r WHERE r.order_id = control_orders.id AND r.checked_out IS NULL)";
            var args = new { measure = measure.ToCode(), now, actor, reason, detail = $"measure centralized_quarantine → {measure.ToCode()}: {reason}" };
            await c.ExecuteAsync(new CommandDefinition(
                $"INSERT INTO control_events (order_id, at, actor, from_status, to_status, detail) SELECT id, @now, @actor, status, status, @detail FROM control_orders WHERE {where}", args, tx, cancellationToken: ct));
            await c.ExecuteAsync(new CommandDefinition(
                $"UPDATE tasks SET status = 'cancelled', done_at = @now, done_by = @actor, note = @reason WHERE source_kind = 'order' AND kind = 'transfer' AND status = 'open' AND source_id IN (SELECT id FROM control_orders WHERE {where})",
                args, tx, cancellationToken: ct));
            changed += await c.ExecuteAsync(new CommandDefinition(
                $"UPDATE control_orders SET measure = @measure, transfer_due = NULL, version = version + 1, updated_at = @now WHERE {where}", args, tx, cancellationToken: ct));
        }
        return changed;
    }

    /// <summary>
    /// An officer changes the measure with a reason (e.g. home quarantine for a person who cannot be
    /// moved). Leaving centralized quarantine cancels the pending transfer; entering it from home
    /// sends the person back to "notified" with a new transfer deadline.
    /// </summary>
    public static async Task<ControlOrder> ChangeMeasureAsync(Database db, PolicyProfile policy, long orderId, ControlMeasure measure, string reason, string actor, int? expectedVersion = null, CancellationToken ct = default)
    {
        await using var s = await StoreSession.BeginAsync(db, ct);
        await ChangeMeasureAsync(s, policy, orderId, measure, reason, actor, expectedVersion, ct);
        await s.CommitAsync(ct);
        return (await ControlRepository.FindAsync(db, orderId, ct))!;
    }

    public static async Task ChangeMeasureAsync(StoreSession s, PolicyProfile policy, long orderId, ControlMeasure measure, string reason, string actor, int? expectedVersion, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new RefusedException("changing the measure needs a reason", "measure.reason");
        }
        if (measure == ControlMeasure.CaseIsolation)
        {
            throw new RefusedException("case isolation follows a case; it is not chosen for a contact", "measure.caseIsolation");
        }
        var (c, tx, now) = (s.Connection, s.Transaction, s.Db.Now);
        var order = await LoadForChangeAsync(c, tx, orderId, expectedVersion, ct);
        if (order.Measure == measure)
        {
            throw new RefusedException($"order #{order.Id} is already {measure.ToCode()}", "measure.same", order.Id);
        }
        if (order.Group == ControlGroup.Case)
        {
            throw new RefusedException("a case's isolation is not changed here", "measure.case");
        }
        var status = order.Status;
        long? transferDue = order.TransferDue;
        if (order.Measure.IsCentralized() && !measure.IsCentralized())
        {
            if (status is ControlStatus.TransferDispatched or ControlStatus.Arrived)
            {
                throw new RefusedException($"order #{order.Id} is {status.ToCode()}: finish the hand-over or check the person out first", "measure.inTransfer", order.Id);
            }
            if (await c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM room_stays WHERE order_id = @Id AND checked_out IS NULL", new { order.Id }, tx, cancellationToken: ct)) > 0)
            {
                throw new RefusedException($"order #{order.Id}: the person is in a room; check them out first", "measure.inRoom", order.Id);
            }
            transferDue = null;
            await c.ExecuteAsync(new CommandDefinition("UPDATE tasks SET status = 'cancelled', done_at = @now, done_by = @actor, note = @reason WHERE source_kind = 'order' AND source_id = @Id AND kind = 'transfer' AND status = 'open'",
                new { now, actor, reason, order.Id }, tx, cancellationToken: ct));
        }
        else if (!order.Measure.IsCentralized() && measure.IsCentralized())
        {
            transferDue = now + policy.TransferWithinHours * 3600L;
            if (status == ControlStatus.UnderControl)
            {
                status = ControlStatus.Notified;
            }
            var home = await c.ExecuteScalarAsync<string?>(new CommandDefinition("SELECT community_code FROM persons WHERE id = @PersonId", new { order.PersonId }, tx, cancellationToken: ct));
            var county = Scope.CountyOf(home);
            await BulkWriter.UpsertAsync(s, ControlTables.Tasks, [ControlTables.Task($"transfer:{order.Id}:{order.Version + 1}", "transfer", "点对点转运至集中隔离点（改为集中隔离）", "order", order.Id, order.PersonId, null, county, 1, transferDue.Value, now)], ct);
        }
        await UpdateAsync(c, tx, order, "measure = @Measure, status = @Status, transfer_due = @TransferDue", new { Measure = measure.ToCode(), Status = status.ToCode(), TransferDue = transferDue, now }, ct);
        await EventAsync(c, tx, order.Id, now, actor, order.Status, status, $"measure {order.Measure.ToCode()} → {measure.ToCode()}: {reason}", ct);
    }

    /// <summary>Names the monitor (包保责任人). The monitor's jurisdiction must contain the person's community.</summary>
    public static async Task<ControlOrder> AssignMonitorAsync(Database db, long orderId, string staffKey, string actor, CancellationToken ct = default)
    {
        await using var s = await StoreSession.BeginAsync(db, ct);
        var (c, tx) = (s.Connection, s.Transaction);
        var order = await LoadForChangeAsync(c, tx, orderId, null, ct);
        var staff = await c.QuerySingleOrDefaultAsync<(long Id, string Jurisdiction, long Active)?>(new CommandDefinition(
            "SELECT id, jurisdiction_code, active FROM staff WHERE staff_key = @staffKey", new { staffKey }, tx, cancellationToken: ct))
            ?? throw new RefusedException($"no staff with staff_key '{staffKey}'", "staff.missing", staffKey);
        var community = await c.ExecuteScalarAsync<string?>(new CommandDefinition("SELECT community_code FROM persons WHERE id = @PersonId", new { order.PersonId }, tx, cancellationToken: ct));
        if (staff.Active == 0)
        {
            throw new RefusedException($"staff '{staffKey}' is not active", "staff.inactive", staffKey);
        }
        if (!JurisdictionCode.TryParse(community, out var home, out _) || !JurisdictionCode.Parse(staff.Jurisdiction).Contains(home))
        {
            throw new RefusedException($"staff '{staffKey}' works in {staff.Jurisdiction}, outside the person's community {community ?? "(none)"}; a monitor must be responsible for the person's place", "monitor.outside", staffKey, staff.Jurisdiction, community ?? "—");
        }
        await UpdateAsync(c, tx, order, "monitor_id = @Monitor", new { Monitor = staff.Id, now = db.Now }, ct);
        await EventAsync(c, tx, order.Id, db.Now, actor, order.Status, order.Status, $"monitor {staffKey}", ct);
        await c.ExecuteAsync(new CommandDefinition("UPDATE tasks SET owner_staff_id = @Monitor WHERE source_kind = 'order' AND source_id = @Id AND status = 'open' AND kind IN ('notify', 'health_check', 'test')",
            new { Monitor = staff.Id, order.Id }, tx, cancellationToken: ct));
        await s.CommitAsync(ct);
        return (await ControlRepository.FindAsync(db, order.Id, ct))!;
    }

    /// <summary>A daily temperature and symptom check; a fever or a symptom makes an urgent task.</summary>
    public static async Task RecordCheckAsync(Database db, PolicyProfile policy, int personId, double temperature, string? symptoms, string actor, CancellationToken ct = default)
    {
        await using var s = await StoreSession.BeginAsync(db, ct);
        await RecordCheckAsync(s, policy, personId, temperature, symptoms, actor, ct);
        await s.CommitAsync(ct);
    }

    public static async Task RecordCheckAsync(StoreSession s, PolicyProfile policy, int personId, double temperature, string? symptoms, string actor, CancellationToken ct)
    {
        var order = await ActiveOrderAsync(s.Connection, s.Transaction, personId, ct);
        await RecordChecksAsync(s, policy, [new HealthCheck(order.Id, personId, temperature, symptoms)], actor, ct);
    }

    /// <summary>Health checks of many people at once (a community worker's round); a fever or a symptom makes an urgent task.</summary>
    public static async Task RecordChecksAsync(StoreSession s, PolicyProfile policy, IReadOnlyList<HealthCheck> checks, string actor, CancellationToken ct)
    {
        foreach (var h in checks)
        {
            if (h.Temperature is < 30 or > 45)
            {
                throw new RefusedException($"temperature {h.Temperature} °C is outside 30–45 °C; check the reading", "check.temperature", h.Temperature);
            }
        }
        var db = s.Db;
        var now = db.Now;
        var date = Dates.Format(db.Calendar.LocalDate(now));
        await BulkWriter.UpsertAsync(s, ChecksTable, checks.Select(h => new object?[]
        {
            h.PersonId, h.OrderId, now, date, h.Temperature, string.IsNullOrWhiteSpace(h.Symptoms) ? null : h.Symptoms, actor,
        }), ct);
        var alarms = checks.Where(h => h.Temperature >= policy.FeverThresholdCelsius || !string.IsNullOrWhiteSpace(h.Symptoms)).ToList();
        foreach (var h in alarms)
        {
            var row = await s.Connection.QuerySingleAsync<(long? Monitor, string? Community)>(new CommandDefinition(
                "SELECT o.monitor_id, p.community_code FROM control_orders o JOIN persons p ON p.id = o.person_id WHERE o.id = @OrderId", new { h.OrderId }, s.Transaction, cancellationToken: ct));
            await BulkWriter.UpsertAsync(s, ControlTables.Tasks, [ControlTables.Task($"fever:{h.OrderId}:{now}", "fever", $"发热或症状（{h.Temperature:0.0} °C {h.Symptoms}）：立即采样并就诊", "order", h.OrderId, h.PersonId,
                row.Monitor, Scope.HomeOf(row.Community), 0, now + 2 * 3600, now)], ct);
        }
    }

    private static readonly BulkTable ChecksTable = new("health_checks",
    [
        ("person_id", ColumnKind.Int), ("order_id", ColumnKind.Long), ("at", ColumnKind.Long), ("local_date", ColumnKind.Text), ("temperature", ColumnKind.Real), ("symptoms", ColumnKind.Text), ("actor", ColumnKind.Text),
    ], "id", UpdateOnConflict: false);

    /// <summary>Takes the sample for the earliest scheduled test that is due (today or overdue).</summary>
    public static async Task<TestSlot> SampleAsync(Database db, int personId, string sampleKey, string actor, CancellationToken ct = default)
    {
        return await StoreSession.RunAsync(db, s => SampleAsync(s, personId, sampleKey, actor, ct), ct);
    }

    public static async Task<TestSlot> SampleAsync(StoreSession s, int personId, string sampleKey, string actor, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(sampleKey))
        {
            throw new RefusedException("a sample needs its sample number", "sample.number");
        }
        var db = s.Db;
        var (c, tx, now) = (s.Connection, s.Transaction, db.Now);
        var order = await ActiveOrderAsync(c, tx, personId, ct);
        if (await c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM scheduled_tests WHERE sample_key = @sampleKey", new { sampleKey }, tx, cancellationToken: ct)) > 0)
        {
            throw new RefusedException($"sample '{sampleKey}' is already recorded", "sample.duplicate", sampleKey);
        }
        var today = Dates.Format(db.Calendar.LocalDate(now));
        var slot = (await ControlRepository.TestsAsync(c, tx, "order_id = @id AND sampled_at IS NULL", order.Id, ct)).FirstOrDefault(t => string.CompareOrdinal(Dates.Format(t.DueDate), today) <= 0)
            ?? throw new RefusedException($"order #{order.Id} has no test due on {today}", "sample.notDue", order.Id, today);
        await c.ExecuteAsync(new CommandDefinition("UPDATE scheduled_tests SET sample_key = @sampleKey, sampled_at = @now WHERE id = @Id", new { sampleKey, now, slot.Id }, tx, cancellationToken: ct));
        await c.ExecuteAsync(new CommandDefinition("UPDATE tasks SET status = 'done', done_at = @now, done_by = @actor WHERE task_key = @key AND status = 'open'",
            new { now, actor, key = $"test:{order.Id}:{Dates.Format(slot.DueDate)}" }, tx, cancellationToken: ct));
        await EventAsync(c, tx, order.Id, now, actor, order.Status, order.Status, $"sample {sampleKey} for the day-{slot.DayNumber} test", ct);
        return slot with { SampleKey = sampleKey, SampledAt = now };
    }

    /// <summary>
    /// A sampling round: each person's earliest due test (today or overdue) gets its sample number.
    /// People with no test due are skipped; returns how many samples were recorded.
    /// </summary>
    public static async Task<int> SampleManyAsync(StoreSession s, IReadOnlyList<(int PersonId, string SampleKey)> samples, string actor, CancellationToken ct)
    {
        var (c, tx, now) = (s.Connection, s.Transaction, s.Db.Now);
        var today = Dates.Format(s.Db.Calendar.LocalDate(now));
        var taken = new List<long>();
        foreach (var (person, key) in samples)
        {
            var slot = await c.ExecuteScalarAsync<long?>(new CommandDefinition(
                "SELECT t.id FROM scheduled_tests t JOIN control_orders o ON o.id = t.order_id WHERE o.person_id = @person AND o.active = 1 AND t.sampled_at IS NULL AND t.due_date <= @today ORDER BY t.due_date LIMIT 1",
                new { person, today }, tx, cancellationToken: ct));
            if (slot is { } id)
            {
                await c.ExecuteAsync(new CommandDefinition("UPDATE scheduled_tests SET sample_key = @key, sampled_at = @now WHERE id = @id", new { key, now, id }, tx, cancellationToken: ct));
                taken.Add(id);
            }
        }
        foreach (var chunk in taken.Chunk(500))
        {
            var ids = string.Join(",", chunk);
            await c.ExecuteAsync(new CommandDefinition(
                $"UPDATE tasks SET status = 'done', done_at = @now, done_by = @actor WHERE status = 'open' AND task_key IN (SELECT 'test:' || order_id || ':' || due_date FROM scheduled_tests WHERE id IN ({ids}))",
                new { now, actor }, tx, cancellationToken: ct));
            await c.ExecuteAsync(new CommandDefinition(
                $"INSERT INTO control_events (order_id, at, actor, from_status, to_status, detail) SELECT t.order_id, @now, @actor, o.status, o.status, 'sample ' || t.sample_key || ' for the day-' || t.day_number || ' test' " +
                $"FROM scheduled_tests t JOIN control_orders o ON o.id = t.order_id WHERE t.id IN ({ids})", new { now, actor }, tx, cancellationToken: ct));
        }
        return taken.Count;
    }

    /// <summary>
    /// Records a sample's result. A positive result makes the person a case (asymptomatic unless a
    /// symptom was recorded) sampled at the sample's time; returns true when it did, so that the
    /// caller traces the new case.
    /// </summary>
    public static async Task<bool> ResultAsync(Database db, string sampleKey, string result, string actor, CancellationToken ct = default)
    {
        return await StoreSession.RunAsync(db, s => ResultAsync(s, sampleKey, result, actor, ct), ct);
    }

    public static async Task<bool> ResultAsync(StoreSession s, string sampleKey, string result, string actor, CancellationToken ct)
    {
        if (result is not ("negative" or "positive"))
        {
            throw new RefusedException($"result '{result}' must be negative or positive", "result.invalid", result);
        }
        var db = s.Db;
        var (c, tx, now) = (s.Connection, s.Transaction, db.Now);
        var found = await c.QuerySingleOrDefaultAsync<(long Id, long Order, long Person, long SampledAt, string? Result)?>(new CommandDefinition(
            "SELECT id, order_id, person_id, sampled_at, result FROM scheduled_tests WHERE sample_key = @sampleKey", new { sampleKey }, tx, cancellationToken: ct))
            ?? throw new RefusedException($"unknown sample '{sampleKey}': no sample with that number was taken", "sample.unknown", sampleKey);
        var slot = found;
        if (slot.Result is not null)
        {
            throw new RefusedException($"sample '{sampleKey}' already has the result {slot.Result}", "sample.hasResult", sampleKey);
        }
        await c.ExecuteAsync(new CommandDefinition("UPDATE scheduled_tests SET result = @result, result_at = @now WHERE id = @Id", new { result, now, slot.Id }, tx, cancellationToken: ct));
        await c.ExecuteAsync(new CommandDefinition("INSERT INTO control_events (order_id, at, actor, from_status, to_status, detail) SELECT id, @now, @actor, status, status, @detail FROM control_orders WHERE id = @Order",
            new { now, actor, detail = $"sample {sampleKey}: {result}", slot.Order }, tx, cancellationToken: ct));
        var converted = false;
        if (result == "positive" && await c.ExecuteScalarAsync<long>(new CommandDefinition(
                $"SELECT COUNT(*) FROM cases WHERE person_id = @Person AND classification IN ({CaseClassifications.InfectionsSql})", new { slot.Person }, tx, cancellationToken: ct)) == 0)
        {
            var symptomatic = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM health_checks WHERE person_id = @Person AND symptoms IS NOT NULL", new { slot.Person }, tx, cancellationToken: ct)) > 0;
            await CaseRepository.UpsertAsync(s, [new StoredCase((int)slot.Person, symptomatic ? CaseClassification.Confirmed : CaseClassification.Asymptomatic,
                symptomatic ? db.Calendar.LocalDate(slot.SampledAt) : null, slot.SampledAt, now, now)], ct);
            converted = true;
        }
        return converted;
    }

    /// <summary>
    /// Decides a release request against the policy: refused with every unmet criterion, or released
    /// as a recorded decision that also checks the person out of their room and, where the plan goes
    /// on (e.g. 14 d centralized → 7 d home health monitoring), starts the next order.
    /// </summary>
    public static async Task<ReleaseDecision> ReleaseAsync(Database db, PolicyProfile policy, long orderId, string actor, int? expectedVersion = null, CancellationToken ct = default)
    {
        return await StoreSession.RunAsync(db, s => ReleaseAsync(s, policy, orderId, actor, expectedVersion, ct), ct);
    }

    /// <summary>The decision inside a caller's transaction; a refusal is thrown before anything is written.</summary>
    public static async Task<ReleaseDecision> ReleaseAsync(StoreSession s, PolicyProfile policy, long orderId, string actor, int? expectedVersion, CancellationToken ct)
    {
        var db = s.Db;
        var (c, tx, now) = (s.Connection, s.Transaction, db.Now);
        var today = db.Calendar.LocalDate(now);
        var order = await LoadForChangeAsync(c, tx, orderId, expectedVersion, ct);
        var tests = await ControlRepository.TestsAsync(c, tx, "order_id = @id", order.Id, ct);
        IReadOnlyList<string?>? closeContactTests = null;
        if (order.Group == ControlGroup.SecondaryContact)
        {
            var via = await c.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT via_person_id FROM contacts WHERE person_id = @PersonId", new { order.PersonId }, tx, cancellationToken: ct));
            closeContactTests = via is null ? [] : (await ControlRepository.TestsAsync(c, tx, "person_id = @id AND sampled_at IS NOT NULL", via.Value, ct)).Select(t => t.Result).ToList();
        }
        var facts = new ReleaseFacts(order.Group, order.Status, order.PlannedEnd ?? DateOnly.MaxValue,
            tests.Select(t => new ScheduledTest(t.DueDate, t.DayNumber, t.Result)).ToList(), closeContactTests, policy.Measures.SecondaryReleaseNeedsCloseContactNegativeTests);
        var unmet = ReleaseCriteria.UnmetCriteria(facts, today);
        if (unmet.Count > 0)
        {
            throw new ReleaseRefusedException($"order #{order.Id} cannot be released: {string.Join("; ", unmet.Select(u => u.Text))}", unmet);
        }
        await ControlSync.CloseAsync(c, tx, order, ControlStatus.Released, now, ct);
        await Sites.SiteRepository.CheckOutOrdersAsync(c, tx, [order.Id], now, ct);
        await c.ExecuteAsync(new CommandDefinition("UPDATE tasks SET status = 'done', done_at = @now, done_by = @actor WHERE source_kind = 'order' AND source_id = @Id AND kind = 'release' AND status = 'open'",
            new { now, actor, order.Id }, tx, cancellationToken: ct));
        var basis = order.Group == ControlGroup.Case
            ? "last two tests negative"
            : $"planned end {order.PlannedEnd:yyyy-MM-dd} reached; {tests.Count} scheduled test(s) negative" + (closeContactTests is null ? "" : "; the close contact's first tests negative");
        long? next = null;
        var steps = ControlPlan.StepsOf(policy, order.Group);
        if (order.Group != ControlGroup.Case && order.Step + 1 < steps.Count && order.PlannedEnd is { } end)
        {
            var n = steps[order.Step + 1];
            var measure = ControlCodes.ParseMeasure(n.Measure);
            var step = new PlannedStep(measure, end, end.AddDays(n.Days), n.TestDays.Select(d => (d, end.AddDays(d))).ToList());
            next = await c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COALESCE(MAX(id), 0) + 1 FROM control_orders", transaction: tx, cancellationToken: ct));
            await BulkWriter.UpsertAsync(s, ControlTables.Orders, [[next, order.PersonId, order.Group.ToCode(), measure.ToCode(), order.Step + 1, ControlStatus.UnderControl.ToCode(), 1,
                Dates.Format(end), Dates.Format(today), Dates.Format(step.End), order.LastExposure, (long?)order.SourceCaseId, now, now, now, null, order.MonitorId, order.HomeAddress,
                policy.Id, policy.Version, 1, now]], ct);
            await BulkWriter.UpsertAsync(s, ControlTables.Tests, ControlSync.Schedule(next.Value, order.PersonId, step, today).ToList(), ct);
            await EventAsync(c, tx, next.Value, now, actor, null, ControlStatus.UnderControl, $"continues order #{order.Id}: {measure.ToCode()} until {step.End:yyyy-MM-dd}", ct);
            basis += $"; continues as {measure.ToCode()} (order #{next})";
        }
        await c.ExecuteAsync(new CommandDefinition("INSERT INTO release_decisions (order_id, at, actor, next_order, basis) VALUES (@Id, @now, @actor, @next, @basis)",
            new { order.Id, now, actor, next, basis }, tx, cancellationToken: ct));
        await EventAsync(c, tx, order.Id, now, actor, order.Status, ControlStatus.Released, basis, ct);
        return new ReleaseDecision(order.Id, next, basis);
    }

    private static async Task<ControlOrder> LoadForChangeAsync(DbConnection c, DbTransaction tx, long orderId, int? expectedVersion, CancellationToken ct)
    {
        var order = await ControlRepository.FindAsync(c, tx, orderId, ct) ?? throw new RefusedException($"no control order #{orderId}", "order.missing", orderId);
        if (expectedVersion is { } v && v != order.Version)
        {
            throw new ConcurrencyException($"order #{order.Id} is at version {order.Version}, not {v}: someone changed it since you read it; reload and act again");
        }
        if (!order.Active)
        {
            throw new RefusedException($"order #{order.Id} is closed ({order.Status.ToCode()})", "order.closed", order.Id);
        }
        return order;
    }

    private static async Task<ControlOrder> ActiveOrderAsync(DbConnection c, DbTransaction tx, int personId, CancellationToken ct) =>
        (await c.QuerySingleOrDefaultAsync<OrderRow>(new CommandDefinition($"SELECT {OrderRow.Columns} FROM control_orders WHERE person_id = @personId AND active = 1", new { personId }, tx, cancellationToken: ct)))?.ToOrder()
        ?? throw new RefusedException("the person has no active control order", "order.none");

    private static async Task UpdateAsync(DbConnection c, DbTransaction tx, ControlOrder order, string sets, object args, CancellationToken ct)
    {
        var p = new DynamicParameters(args);
        p.Add("Id", order.Id);
        p.Add("Version", order.Version);
        var n = await c.ExecuteAsync(new CommandDefinition($"UPDATE control_orders SET {sets}, version = version + 1, updated_at = @now WHERE id = @Id AND version = @Version", p, tx, cancellationToken: ct));
        if (n == 0)
        {
            throw new ConcurrencyException($"order #{order.Id} was changed by someone else while you acted; reload and act again");
        }
    }

    private static Task<int> EventAsync(DbConnection c, DbTransaction tx, long orderId, long at, string actor, ControlStatus? from, ControlStatus to, string? detail, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition("INSERT INTO control_events (order_id, at, actor, from_status, to_status, detail) VALUES (@orderId, @at, @actor, @from, @to, @detail)",
            new { orderId, at, actor, from = from?.ToCode(), to = to.ToCode(), detail }, tx, cancellationToken: ct));

    private static Task<int> CompleteTasksAsync(DbConnection c, DbTransaction tx, long orderId, string kind, string actor, long now, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition("UPDATE tasks SET status = 'done', done_at = @now, done_by = @actor WHERE source_kind = 'order' AND source_id = @orderId AND kind = @kind AND status = 'open'",
            new { now, actor, orderId, kind }, tx, cancellationToken: ct));
}
