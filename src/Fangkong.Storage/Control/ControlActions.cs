using Dapper;
using Fangkong.Text;
using Fangkong.Control;
using Fangkong.Jurisdictions;
using Fangkong.Tasks;

namespace Fangkong.Storage.Control;

/// <summary>
/// Details a step of the loop may need: the transfer's vehicle and crew, or a reason; and when the step
/// happened (<paramref name="At"/>, unix seconds) if it is recorded later than it happened ("arrived at 14:20").
/// </summary>
public sealed record MoveDetails(string? Reason = null, string? Vehicle = null, string? Crew = null, string? Pickup = null, long? At = null);

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
        var order = await OrderWrites.LoadForChangeAsync(c, tx, orderId, expectedVersion, ct);
        // A step recorded after the fact carries the time it happened: not in the future, not before the order's last step.
        if (details.At is { } happened)
        {
            if (happened > now)
            {
                throw new RefusedException("the time a step happened cannot lie in the future", "step.future", db.Calendar.Format(happened));
            }
            var last = await c.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT MAX(at) FROM control_events WHERE order_id = @Id", new { order.Id }, tx, cancellationToken: ct)) ?? order.IdentifiedAt;
            if (happened < last)
            {
                throw new RefusedException($"order #{order.Id}: the step cannot have happened before the order's last step ({db.Calendar.Format(last)})", "step.beforeLast", order.Id, db.Calendar.Format(last));
            }
            now = happened;
        }
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
                await OrderWrites.CompleteTasksAsync(c, tx, order.Id, "notify", actor, now, ct);
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
                detail = LoopLog.Write("dispatched", details.Vehicle, details.Crew, pickup, destination);
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
                await OrderWrites.CompleteTasksAsync(c, tx, order.Id, "transfer", actor, now, ct);
                detail = LoopLog.Write("handedOver", stay.Value.SiteKey, stay.Value.RoomNo);
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
        await OrderWrites.UpdateAsync(c, tx, order, sets, new { To = to.ToCode(), now, details.Reason }, ct);   // updated_at: when it happened
        await OrderWrites.EventAsync(c, tx, order.Id, now, actor, order.Status, to, detail, ct);
        if (to == ControlStatus.Lost)
        {
            await c.ExecuteAsync(new CommandDefinition(
                "INSERT INTO tasks (task_key, kind, title, source_kind, source_id, person_id, owner_staff_id, owner_jurisdiction, home_jurisdiction, priority, due_at, status, escalation_level, created_at) " +
                $"SELECT {TaskKeys.FindSql("@Id", "@version")}, 'find', @title, 'order', @Id, @PersonId, monitor_id, COALESCE(p.community_code, @region), COALESCE(p.community_code, @region), 1, @due, 'open', 0, @now " +
                "FROM control_orders o JOIN persons p ON p.id = o.person_id WHERE o.id = @Id",
                new { order.Id, order.PersonId, version = order.Version + 1, due = now + 2 * 3600, now, region = Scope.Region, title = TaskTitle.Of("find").Encode() }, tx, cancellationToken: ct));
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

}
