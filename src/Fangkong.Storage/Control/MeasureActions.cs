using Dapper;
using Fangkong.Text;
using Fangkong.Control;
using Fangkong.Jurisdictions;
using Fangkong.Policies;
using Fangkong.Tasks;

namespace Fangkong.Storage.Control;

/// <summary>Changes of an order's measure (one by one with a reason, or sending many home when the sites are full) and of its monitor.</summary>
public static class MeasureActions
{
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
            var args = new { measure = measure.ToCode(), now, actor, reason, detail = LoopLog.Write("measure", Phrase.Text("measure.centralized_quarantine"), Phrase.Text("measure." + measure.ToCode()), reason) };
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
        var order = await OrderWrites.LoadForChangeAsync(c, tx, orderId, expectedVersion, ct);
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
            await BulkWriter.UpsertAsync(s, ControlTables.Tasks, [new TaskRow(TaskKeys.Transfer(order.Id, order.Version + 1), "transfer", TaskTitle.Of("transferToSite"), "order", order.Id, order.PersonId, null, county, 1, transferDue.Value, now)], ct);
        }
        await OrderWrites.UpdateAsync(c, tx, order, "measure = @Measure, status = @Status, transfer_due = @TransferDue", new { Measure = measure.ToCode(), Status = status.ToCode(), TransferDue = transferDue, now }, ct);
        await OrderWrites.EventAsync(c, tx, order.Id, now, actor, order.Status, status, $"measure {order.Measure.ToCode()} → {measure.ToCode()}: {reason}", ct);
    }

    /// <summary>Names the monitor (包保责任人). The monitor's jurisdiction must contain the person's community.</summary>
    public static async Task<ControlOrder> AssignMonitorAsync(Database db, long orderId, string staffKey, string actor, CancellationToken ct = default)
    {
        await using var s = await StoreSession.BeginAsync(db, ct);
        var (c, tx) = (s.Connection, s.Transaction);
        var order = await OrderWrites.LoadForChangeAsync(c, tx, orderId, null, ct);
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
        await OrderWrites.UpdateAsync(c, tx, order, "monitor_id = @Monitor", new { Monitor = staff.Id, now = db.Now }, ct);
        await OrderWrites.EventAsync(c, tx, order.Id, db.Now, actor, order.Status, order.Status, $"monitor {staffKey}", ct);
        await c.ExecuteAsync(new CommandDefinition("UPDATE tasks SET owner_staff_id = @Monitor WHERE source_kind = 'order' AND source_id = @Id AND status = 'open' AND kind IN ('notify', 'health_check', 'test')",
            new { Monitor = staff.Id, order.Id }, tx, cancellationToken: ct));
        await s.CommitAsync(ct);
        return (await ControlRepository.FindAsync(db, order.Id, ct))!;
    }
}
