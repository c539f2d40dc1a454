using Dapper;
using Fangkong.Control;
using Fangkong.Policies;
using Fangkong.Text;

namespace Fangkong.Storage.Control;

/// <summary>Release (解除管控) as a decision against the policy's criteria, moving the person on to the plan's next measure.</summary>
public static class ReleaseActions
{
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
        var order = await OrderWrites.LoadForChangeAsync(c, tx, orderId, expectedVersion, ct);
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
            throw new ReleaseRefusedException($"order #{order.Id} cannot be released: {string.Join("; ", unmet.Select(u => u.Text))}", unmet, order.Id);
        }
        await c.ExecuteAsync(new CommandDefinition("UPDATE tasks SET status = 'done', done_at = @now, done_by = @actor WHERE source_kind = 'order' AND source_id = @Id AND kind = 'release' AND status = 'open'",
            new { now, actor, order.Id }, tx, cancellationToken: ct));
        await ControlSync.CloseAsync(c, tx, order, ControlStatus.Released, now, ct);
        await Sites.SiteRepository.CheckOutOrdersAsync(c, tx, [order.Id], now, ct);
        // The basis is a phrase of the loop log, read in each reader's language (and continued below when another order follows).
        var closeNegative = closeContactTests is null ? "" : Phrase.Text("event.release.closeNegative");
        string Basis(params string[] then) => order.Group == ControlGroup.Case
            ? LoopLog.Write(then.Length == 0 ? "release.case" : "release.caseThen", then)
            : LoopLog.Write(then.Length == 0 ? "release.contact" : "release.contactThen", [Phrase.Date(order.PlannedEnd), Phrase.Number(tests.Count), closeNegative, .. then]);
        var basis = Basis();
        long? next = null;
        if (order.PlannedEnd is { } end && ControlPlan.Next(policy, order.Group, order.Step, end) is { } step)
        {
            var measure = step.Measure;
            next = await c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COALESCE(MAX(id), 0) + 1 FROM control_orders", transaction: tx, cancellationToken: ct));
            await BulkWriter.UpsertAsync(s, ControlTables.Orders, [new NewOrderRow(next.Value, order.PersonId, order.Group.ToCode(), measure.ToCode(), order.Step + 1, ControlStatus.UnderControl.ToCode(),
                Dates.Format(end), Dates.Format(today), Dates.Format(step.End), order.LastExposure, order.SourceCaseId, now, now, now, null, order.MonitorId, order.HomeAddress,
                policy.Id, policy.Version, now)], ct);
            await BulkWriter.UpsertAsync(s, ControlTables.Tests, ControlSync.Schedule(next.Value, order.PersonId, step, today).ToList(), ct);
            await OrderWrites.EventAsync(c, tx, next.Value, now, actor, null, ControlStatus.UnderControl, LoopLog.Write("continues", Phrase.Number(order.Id), Phrase.Text("measure." + measure.ToCode()), Phrase.Date(step.End)), ct);
            basis = Basis(Phrase.Text("measure." + measure.ToCode()), Phrase.Number(next.Value));
        }
        await c.ExecuteAsync(new CommandDefinition("INSERT INTO release_decisions (order_id, at, actor, next_order, basis) VALUES (@Id, @now, @actor, @next, @basis)",
            new { order.Id, now, actor, next, basis }, tx, cancellationToken: ct));
        await OrderWrites.EventAsync(c, tx, order.Id, now, actor, order.Status, ControlStatus.Released, basis, ct);
        return new ReleaseDecision(order.Id, next, basis);
    }
}
