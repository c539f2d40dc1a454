using System.Data.Common;
using Dapper;
using Fangkong.Control;

namespace Fangkong.Storage.Control;

/// <summary>The writes every officer's action on an order shares: load it for a change (version and state checked), update it, record its step, complete its tasks.</summary>
internal static class OrderWrites
{
    internal static async Task<ControlOrder> LoadForChangeAsync(DbConnection c, DbTransaction tx, long orderId, int? expectedVersion, CancellationToken ct)
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

    internal static async Task<ControlOrder> ActiveOrderAsync(DbConnection c, DbTransaction tx, int personId, CancellationToken ct) =>
        (await c.QuerySingleOrDefaultAsync<OrderRow>(new CommandDefinition($"SELECT {OrderRow.Columns} FROM control_orders WHERE person_id = @personId AND active = 1", new { personId }, tx, cancellationToken: ct)))?.ToOrder()
        ?? throw new RefusedException("the person has no active control order", "order.none");

    internal static async Task UpdateAsync(DbConnection c, DbTransaction tx, ControlOrder order, string sets, object args, CancellationToken ct)
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

    internal static Task<int> EventAsync(DbConnection c, DbTransaction tx, long orderId, long at, string actor, ControlStatus? from, ControlStatus to, string? detail, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition("INSERT INTO control_events (order_id, at, actor, from_status, to_status, detail) VALUES (@orderId, @at, @actor, @from, @to, @detail)",
            new { orderId, at, actor, from = from?.ToCode(), to = to.ToCode(), detail }, tx, cancellationToken: ct));

    internal static Task<int> CompleteTasksAsync(DbConnection c, DbTransaction tx, long orderId, string kind, string actor, long now, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition("UPDATE tasks SET status = 'done', done_at = @now, done_by = @actor WHERE source_kind = 'order' AND source_id = @orderId AND kind = @kind AND status = 'open'",
            new { now, actor, orderId, kind }, tx, cancellationToken: ct));
}
