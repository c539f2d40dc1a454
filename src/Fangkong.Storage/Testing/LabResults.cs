using Dapper;
using Fangkong.Cases;
using Fangkong.Control;
using Fangkong.Jurisdictions;
using Fangkong.Policies;
using Fangkong.Storage.Cases;
using Fangkong.Storage.Control;
using Fangkong.Tasks;
using Fangkong.Testing;
using Fangkong.Text;

namespace Fangkong.Storage.Testing;

/// <summary>A lab's result for a stored tube (a row of a results file), with the tube as stored.</summary>
public sealed record LabResult(int TubeId, string TubeKey, long SampledAt, string? Site, string? Round, TubeResult Result, long TestedAt, string? Lab);

/// <summary>What storing results did: tubes resulted, positive or inconclusive pooled tubes, people newly held, re-samplings asked for, suspected cases, temporary orders lifted.</summary>
public sealed record RecallOutcome(long Results, int RecalledTubes, int Held, int Resamples, int Suspected, int Lifted)
{
    public static readonly RecallOutcome None = new(0, 0, 0, 0, 0, 0);
}

/// <summary>
/// Stores lab results and, in the same transaction, what they ask for (混管阳性召回): the members of a
/// positive or inconclusive pooled tube without an active order go under a temporary order (group
/// <c>pool_positive</c>: stay in place until the individual re-test), each member's community gets a
/// re-sampling task and the testing group a recall task; a positive single tube's person becomes a
/// suspected case (the caller traces); an inconclusive single tube asks for a re-sample; a negative
/// individual re-test, sampled after the tube that held the person, lifts their temporary order.
/// </summary>
public static class LabResults
{
    private static readonly BulkTable<LabResult> Tubes = BulkTable<LabResult>.Of("tubes", "id", updateOnConflict: true)
        .Int("id", r => r.TubeId).Text("tube_key", r => r.TubeKey).Long("sampled_at", r => r.SampledAt).Text("site_key", r => r.Site).Text("round_key", r => r.Round)
        .Text("result", r => r.Result.ToCode()).Long("tested_at", r => r.TestedAt).Text("lab_key", r => r.Lab);

    /// <summary>The task of one person's individual re-sampling after a tube's result.</summary>
    public static string ResampleKey(int tube, int person) => $"resample:{tube}:{person}";

    /// <summary>The testing group's task of following a positive pooled tube's recall.</summary>
    public static string RecallKey(int tube) => $"recall:{tube}";

    public static async Task<RecallOutcome> StoreAsync(StoreSession s, PolicyProfile policy, IReadOnlyList<LabResult> results, string actor, CancellationToken ct = default)
    {
        if (results.Count == 0)
        {
            return RecallOutcome.None;
        }
        var (c, tx, now, calendar) = (s.Connection, s.Transaction, s.Db.Now, s.Db.Calendar);
        var stored = await BulkWriter.UpsertAsync(s, Tubes, results, ct);

        // Members are read only for the tubes that can ask for something: every tube not negative, and a
        // negative one only when it holds a person under a temporary order (an individual re-test).
        var held = (await c.QueryAsync<long>(new CommandDefinition(
            $"SELECT person_id FROM control_orders WHERE active = 1 AND grp = '{ControlGroup.PoolPositive.ToCode()}'", transaction: tx, cancellationToken: ct))).Select(p => (int)p).ToList();
        var negatives = results.Where(r => r.Result == TubeResult.Negative).Select(r => r.TubeId).ToHashSet();
        var wanted = results.Where(r => r.Result != TubeResult.Negative).Select(r => r.TubeId).ToHashSet();
        foreach (var chunk in held.Chunk(500))
        {
            foreach (var tube in await c.QueryAsync<long>(new CommandDefinition(
                         $"SELECT DISTINCT tube_id FROM tube_members WHERE person_id IN ({string.Join(",", chunk)})", transaction: tx, cancellationToken: ct)))
            {
                if (negatives.Contains((int)tube))
                {
                    wanted.Add((int)tube);
                }
            }
        }
        var members = new Dictionary<int, List<int>>();
        foreach (var chunk in wanted.Chunk(500))
        {
            foreach (var (tube, person) in await c.QueryAsync<(long Tube, long Person)>(new CommandDefinition(
                         $"SELECT tube_id, person_id FROM tube_members WHERE tube_id IN ({string.Join(",", chunk)}) ORDER BY tube_id, person_id", transaction: tx, cancellationToken: ct)))
            {
                (members.TryGetValue((int)tube, out var list) ? list : members[(int)tube] = []).Add((int)person);
            }
        }
        var plan = Recall.Decide(results.Where(r => wanted.Contains(r.TubeId))
            .Select(r => new ResultedTube(r.TubeId, r.TubeKey, r.SampledAt, r.Result, r.TestedAt, members.GetValueOrDefault(r.TubeId, []))));

        var newlyHeld = await ControlSync.PlaceAsync(s, policy,
            [.. plan.Hold.Select(h => new ControlRequest(h.Person, ControlGroup.PoolPositive, calendar.LocalDate(h.Tube.TestedAt)))], ct);
        var suspected = await SuspectAsync(s, plan.Suspected, ct);
        var tasks = await AskAsync(s, policy, plan, ct);
        var lifted = await LiftAsync(s, plan.Cleared, actor, ct);
        return new RecallOutcome(stored, plan.Recalled.Count, newlyHeld.Count, tasks, suspected, lifted);
    }

    /// <summary>A single tube's positive person becomes a suspected case (疑似病例) sampled at the tube's time, unless already a case or suspected.</summary>
    private static async Task<int> SuspectAsync(StoreSession s, IReadOnlyList<(int Person, ResultedTube Tube)> suspected, CancellationToken ct)
    {
        if (suspected.Count == 0)
        {
            return 0;
        }
        var known = (await s.Connection.QueryAsync<long>(new CommandDefinition(
            $"SELECT person_id FROM cases WHERE classification <> '{CaseClassification.NotACase.ToCode()}' AND person_id IN ({string.Join(",", suspected.Select(x => x.Person))})",
            transaction: s.Transaction, cancellationToken: ct))).Select(p => (int)p).ToHashSet();
        var add = suspected.Where(x => !known.Contains(x.Person)).DistinctBy(x => x.Person)
            .Select(x => new StoredCase(x.Person, CaseClassification.Suspected, null, x.Tube.SampledAt, Math.Max(x.Tube.TestedAt, x.Tube.SampledAt), null)).ToList();
        await CaseRepository.UpsertAsync(s, add, ct);
        return add.Count;
    }

    /// <summary>The re-sampling tasks of each person's community and the recall task of the county's testing group.</summary>
    private static async Task<int> AskAsync(StoreSession s, PolicyProfile policy, RecallPlan plan, CancellationToken ct)
    {
        if (plan.Resample.Count == 0)
        {
            return 0;
        }
        var now = s.Db.Now;
        var due = now + policy.Testing.RecallOrDefault.ResampleWithinHours * 3600L;
        var community = (await s.Connection.QueryAsync<(long Id, string? Community)>(new CommandDefinition(
            $"SELECT id, community_code FROM persons WHERE id IN ({string.Join(",", plan.Resample.Select(x => x.Person).Distinct())})", transaction: s.Transaction, cancellationToken: ct)))
            .ToDictionary(p => (int)p.Id, p => p.Community);
        var tasks = plan.Resample.Select(x => new TaskRow(ResampleKey(x.Tube.TubeId, x.Person), "resample",
                TaskTitle.Of("resample", x.Tube.Key, TaskTitle.Text("result." + x.Tube.Result.ToCode())), "tube", x.Tube.TubeId, x.Person, null,
                Scope.HomeOf(community.GetValueOrDefault(x.Person)), 1, due, now))
            .Concat(plan.Recalled.Select(t => new TaskRow(RecallKey(t.TubeId), "recall",
                TaskTitle.Of("recall", t.Key, TaskTitle.Text("result." + t.Result.ToCode()), t.Members.Count.ToString(global::System.Globalization.CultureInfo.InvariantCulture)),
                "tube", t.TubeId, null, null, Scope.CountyOf(t.Members.Select(community.GetValueOrDefault).FirstOrDefault(x => x is not null)), 1, due, now)))
            .ToList();
        return (int)await BulkWriter.UpsertAsync(s, ControlTables.Tasks, tasks, ct);
    }

    /// <summary>
    /// Lifts the temporary order of each person whose negative single tube was sampled after a positive or
    /// inconclusive tube of theirs, unless they are a case or a suspected case (a case is released by its own rule).
    /// </summary>
    private static async Task<int> LiftAsync(StoreSession s, IReadOnlyList<(int Person, ResultedTube Tube)> cleared, string actor, CancellationToken ct)
    {
        if (cleared.Count == 0)
        {
            return 0;
        }
        var (c, tx, now) = (s.Connection, s.Transaction, s.Db.Now);
        var people = string.Join(",", cleared.Select(x => x.Person).Distinct());
        var orders = (await c.QueryAsync<OrderRow>(new CommandDefinition(
            $"SELECT {OrderRow.Columns} FROM control_orders WHERE active = 1 AND grp = '{ControlGroup.PoolPositive.ToCode()}' AND person_id IN ({people})", transaction: tx, cancellationToken: ct)))
            .Select(r => r.ToOrder()).ToDictionary(o => o.PersonId);
        var cases = (await c.QueryAsync<long>(new CommandDefinition(
            $"SELECT person_id FROM cases WHERE classification <> '{CaseClassification.NotACase.ToCode()}' AND person_id IN ({people})", transaction: tx, cancellationToken: ct)))
            .Select(p => (int)p).ToHashSet();
        var lifted = 0;
        foreach (var (person, tube) in cleared.DistinctBy(x => x.Person))
        {
            if (!orders.TryGetValue(person, out var order) || cases.Contains(person))
            {
                continue;
            }
            var earlier = await c.ExecuteScalarAsync<string?>(new CommandDefinition("""
                SELECT t.tube_key FROM tube_members m JOIN tubes t ON t.id = m.tube_id
                WHERE m.person_id = @person AND t.result IN ('positive', 'inconclusive') AND t.sampled_at < @at
                ORDER BY t.sampled_at DESC LIMIT 1
                """, new { person, at = tube.SampledAt }, tx, cancellationToken: ct));
            if (earlier is null)
            {
                continue;
            }
            await ControlSync.CloseAsync(c, tx, order, ControlStatus.Released, now, ct);
            await c.ExecuteAsync(new CommandDefinition(
                "INSERT INTO control_events (order_id, at, actor, from_status, to_status, detail) VALUES (@Id, @now, @actor, @From, @To, @detail)",
                new { order.Id, now, actor, From = order.Status.ToCode(), To = ControlStatus.Released.ToCode(), detail = LoopLog.Write("release.retestNegative", tube.Key, earlier) }, tx, cancellationToken: ct));
            await c.ExecuteAsync(new CommandDefinition(
                "UPDATE tasks SET status = 'done', done_at = @now, done_by = @actor, version = version + 1 WHERE kind = 'resample' AND status = 'open' AND person_id = @person",
                new { now, actor, person }, tx, cancellationToken: ct));
            lifted++;
        }
        return lifted;
    }
}
