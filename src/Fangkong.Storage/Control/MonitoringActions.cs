using Dapper;
using Fangkong.Text;
using Fangkong.Cases;
using Fangkong.Control;
using Fangkong.Jurisdictions;
using Fangkong.Policies;
using Fangkong.Storage.Cases;
using Fangkong.Tasks;

namespace Fangkong.Storage.Control;

/// <summary>Health checks (健康监测), samples and results of controlled people; a fever makes an urgent task, a positive result a case.</summary>
public static class MonitoringActions
{
    /// <summary>A daily temperature and symptom check; a fever or a symptom makes an urgent task.</summary>
    public static async Task RecordCheckAsync(Database db, PolicyProfile policy, int personId, double temperature, string? symptoms, string actor, CancellationToken ct = default)
    {
        await using var s = await StoreSession.BeginAsync(db, ct);
        await RecordCheckAsync(s, policy, personId, temperature, symptoms, actor, ct);
        await s.CommitAsync(ct);
    }

    public static async Task RecordCheckAsync(StoreSession s, PolicyProfile policy, int personId, double temperature, string? symptoms, string actor, CancellationToken ct)
    {
        var order = await OrderWrites.ActiveOrderAsync(s.Connection, s.Transaction, personId, ct);
        await RecordChecksAsync(s, policy, [new HealthCheck(order.Id, personId, temperature, symptoms)], actor, ct);
    }

    /// <summary>Health checks of many people at once (a community worker's round); a fever or a symptom makes an urgent task.</summary>
    public static async Task RecordChecksAsync(StoreSession s, PolicyProfile policy, IReadOnlyList<HealthCheck> checks, string actor, CancellationToken ct)
    {
        foreach (var h in checks)
        {
            if (!double.IsFinite(h.Temperature) || h.Temperature is < 30 or > 45)
            {
                throw new RefusedException($"temperature {h.Temperature} °C is outside 30–45 °C; check the reading", "check.temperature", h.Temperature);
            }
        }
        var db = s.Db;
        var now = db.Now;
        var date = Dates.Format(db.Calendar.LocalDate(now));
        await BulkWriter.UpsertAsync(s, ChecksTable, checks.Select(h => (h, now, date, actor)), ct);
        // A check is the follow-up a missed day's task asks for: it completes the order's open ones.
        await s.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE tasks SET status = 'done', done_at = @now, done_by = @actor, version = version + 1 WHERE source_kind = 'order' AND kind = 'health_check' AND status = 'open' " +
            "AND source_id IN (SELECT order_id FROM health_checks WHERE at = @now)", new { now, actor }, s.Transaction, cancellationToken: ct));
        var alarms = checks.Where(h => h.Temperature >= policy.FeverThresholdCelsius || !string.IsNullOrWhiteSpace(h.Symptoms)).ToList();
        foreach (var h in alarms)
        {
            var row = await s.Connection.QuerySingleAsync<(long? Monitor, string? Community)>(new CommandDefinition(
                "SELECT o.monitor_id, p.community_code FROM control_orders o JOIN persons p ON p.id = o.person_id WHERE o.id = @OrderId", new { h.OrderId }, s.Transaction, cancellationToken: ct));
            await BulkWriter.UpsertAsync(s, ControlTables.Tasks, [new TaskRow(TaskKeys.Fever(h.OrderId, now), "fever", TaskTitle.Of("fever", TaskTitle.Number(h.Temperature), h.Symptoms ?? ""), "order", h.OrderId, h.PersonId,
                row.Monitor, Scope.HomeOf(row.Community), 0, now + 2 * 3600, now)], ct);
        }
    }

    private static readonly BulkTable<(HealthCheck H, long At, string Date, string Actor)> ChecksTable = BulkTable<(HealthCheck H, long At, string Date, string Actor)>.Of("health_checks", "id", updateOnConflict: false)
        .Int("person_id", r => r.H.PersonId).Long("order_id", r => r.H.OrderId).Long("at", r => r.At).Text("local_date", r => r.Date).Real("temperature", r => r.H.Temperature)
        .Text("symptoms", r => string.IsNullOrWhiteSpace(r.H.Symptoms) ? null : r.H.Symptoms).Text("actor", r => r.Actor);

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
        var order = await OrderWrites.ActiveOrderAsync(c, tx, personId, ct);
        if (await c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM scheduled_tests WHERE sample_key = @sampleKey", new { sampleKey }, tx, cancellationToken: ct)) > 0)
        {
            throw new RefusedException($"sample '{sampleKey}' is already recorded", "sample.duplicate", sampleKey);
        }
        var today = Dates.Format(db.Calendar.LocalDate(now));
        var slot = (await ControlRepository.TestsAsync(c, tx, "order_id = @id AND sampled_at IS NULL", order.Id, ct)).FirstOrDefault(t => string.CompareOrdinal(Dates.Format(t.DueDate), today) <= 0)
            ?? throw new RefusedException($"order #{order.Id} has no test due on {today}", "sample.notDue", order.Id, today);
        await c.ExecuteAsync(new CommandDefinition("UPDATE scheduled_tests SET sample_key = @sampleKey, sampled_at = @now WHERE id = @Id", new { sampleKey, now, slot.Id }, tx, cancellationToken: ct));
        await c.ExecuteAsync(new CommandDefinition("UPDATE tasks SET status = 'done', done_at = @now, done_by = @actor WHERE task_key = @key AND status = 'open'",
            new { now, actor, key = TaskKeys.Test(order.Id, slot.DueDate) }, tx, cancellationToken: ct));
        await OrderWrites.EventAsync(c, tx, order.Id, now, actor, order.Status, order.Status, $"sample {sampleKey} for the day-{slot.DayNumber} test", ct);
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
                $"UPDATE tasks SET status = 'done', done_at = @now, done_by = @actor WHERE status = 'open' AND task_key IN (SELECT {TaskKeys.TestSql("order_id", "due_date")} FROM scheduled_tests WHERE id IN ({ids}))",
                new { now, actor }, tx, cancellationToken: ct));
            var sampled = await c.QueryAsync<(long Order, string Status, string Key, long Day)>(new CommandDefinition(
                $"SELECT t.order_id, o.status, t.sample_key, t.day_number FROM scheduled_tests t JOIN control_orders o ON o.id = t.order_id WHERE t.id IN ({ids})", transaction: tx, cancellationToken: ct));
            await c.ExecuteAsync(new CommandDefinition(
                "INSERT INTO control_events (order_id, at, actor, from_status, to_status, detail) VALUES (@Order, @now, @actor, @Status, @Status, @Detail)",
                sampled.Select(x => new { x.Order, now, actor, x.Status, Detail = LoopLog.Write("sample", x.Key, Phrase.Number(x.Day)) }).ToList(), tx, cancellationToken: ct));
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
            new { now, actor, detail = LoopLog.Write("result", sampleKey, Phrase.Text("result." + result)), slot.Order }, tx, cancellationToken: ct));
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
}
