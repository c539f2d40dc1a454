using Dapper;
using Fangkong.Control;
using Fangkong.Jurisdictions;
using Fangkong.Policies;
using Fangkong.Storage.Control;
using Fangkong.Storage.Sites;
using Fangkong.Storage.Tracing;
using Fangkong.Storage;
using Fangkong.Time;

namespace Fangkong.Cli.Demo;

/// <summary>
/// How the simulated responders work: daily capacities per county and how reliably checks and
/// samples are done. The defaults make a strained but working system, so that the clock produces
/// both progress and the overdue tasks, escalations and audit rows of a real outbreak.
/// </summary>
internal sealed record SimulationOptions(int Days, int Seed, int NotificationsPerCountyPerDay = 800, int TransfersPerCountyPerDay = 400, double CheckRate = 0.97, double SampleRate = 0.95, double PositiveRate = 0);

/// <summary>What a simulation did, for the summary line.</summary>
internal sealed class SimulationTally
{
    public int Notified { get; set; }
    public int Placed { get; set; }
    public int MovedHome { get; set; }
    public int UnderControl { get; set; }
    public int Samples { get; set; }
    public int Positives { get; set; }
    public int Checks { get; set; }
    public int Released { get; set; }
    public int NewTasks { get; set; }
    public int Escalations { get; set; }

    /// <summary>Time spent in each phase of the simulated days, for tuning.</summary>
    public Dictionary<string, TimeSpan> PhaseTimes { get; } = new(StringComparer.Ordinal);

    public string Timing => string.Join(", ", PhaseTimes.OrderByDescending(p => p.Value).Select(p => $"{p.Key} {p.Value.TotalSeconds:F1} s"));

    public override string ToString() =>
        $"{Notified:N0} notified, {Placed:N0} placed in rooms, {MovedHome:N0} moved to home quarantine (no room), {UnderControl:N0} under control, {Samples:N0} samples " +
        $"({Positives} positive), {Checks:N0} health checks, {Released:N0} released; {NewTasks:N0} tasks created, {Escalations:N0} escalations";
}

/// <summary>
/// Runs the closed loop forward in time on a store, through the same actions an officer uses:
/// each simulated day the clock runs the time rules at 08:00 and 20:00, community workers notify,
/// control officers place people in rooms and transfer them, the sites hand them over, samples are
/// taken and come back, health checks are made, and orders at their planned end are decided.
/// </summary>
internal sealed class LoopSimulation(Database db, ManualClock clock, PolicyProfile policy, SimulationOptions options)
{
    private readonly Random _rng = new(options.Seed);
    private readonly SimulationTally _tally = new();
    private int _sampleCounter;

    private static readonly (int Hour, string Phase)[] Day =
    [
        (8, "tick"), (8, "checks"), (9, "notify"), (10, "place"), (13, "arrive"), (14, "sample"), (17, "notify"), (18, "place"), (18, "sample"), (18, "checks"), (19, "results"), (19, "release"),
        (20, "tick"), (21, "arrive"),
    ];

    /// <summary>Runs every phase after now and up to now + the options' days, then leaves the clock at that end.</summary>
    public async Task<SimulationTally> RunAsync(Action<string>? progress, CancellationToken ct)
    {
        var end = db.Now + options.Days * 86400L;
        for (var day = db.Calendar.LocalDate(db.Now); db.Calendar.StartOfDay(day) <= end; day = day.AddDays(1))
        {
            foreach (var (hour, phase) in Day.OrderBy(p => p.Hour))
            {
                var at = db.Calendar.StartOfDay(day) + hour * 3600;
                if (at < db.Now || at > end)
                {
                    continue;
                }
                clock.MoveTo(DateTimeOffset.FromUnixTimeSeconds(at));
                var watch = System.Diagnostics.Stopwatch.StartNew();
                await RunPhaseAsync(phase, day, ct);
                _tally.PhaseTimes[phase] = _tally.PhaseTimes.GetValueOrDefault(phase) + watch.Elapsed;
            }
            progress?.Invoke($"  {day:yyyy-MM-dd}: {_tally}");
        }
        clock.MoveTo(DateTimeOffset.FromUnixTimeSeconds(end));
        return _tally;
    }

    private async Task RunPhaseAsync(string phase, DateOnly day, CancellationToken ct)
    {
        switch (phase)
        {
            case "tick":
                var t = await ControlClock.TickAsync(db, policy, ct);
                _tally.NewTasks += t.NewTasks;
                _tally.Escalations += t.Escalations;
                break;
            case "notify":
                await NotifyAsync(ct);
                break;
            case "place":
                await PlaceAsync(ct);
                break;
            case "arrive":
                await ArriveAsync(ct);
                break;
            case "sample":
                await SampleAsync(day, ct);
                break;
            case "checks":
                await ChecksAsync(ct);
                break;
            case "results":
                await ResultsAsync(ct);
                break;
            case "release":
                await ReleaseAsync(day, ct);
                break;
        }
    }

    private async Task<List<(long Order, int Person, string Measure, string Grp, string County, string Household, string Actor)>> OrdersAsync(string status, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<(long Order, long Person, string Measure, string Grp, string? Community, string? Address, string? Monitor)>(new CommandDefinition(
            "SELECT o.id, o.person_id, o.measure, o.grp, p.community_code, COALESCE(o.home_address, p.address), s.staff_key FROM control_orders o JOIN persons p ON p.id = o.person_id " +
            "LEFT JOIN staff s ON s.id = o.monitor_id WHERE o.active = 1 AND o.status = @status ORDER BY o.identified_at, o.id", new { status }, cancellationToken: ct));
        return rows.Select(r => (r.Order, (int)r.Person, r.Measure, r.Grp, Scope.CountyOf(r.Community), $"{r.Community}|{r.Address ?? r.Person.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
            r.Monitor ?? "demo-officer")).ToList();
    }

    private async Task NotifyAsync(CancellationToken ct)
    {
        // Two rounds a day, each with half the county's daily capacity.
        var orders = (await OrdersAsync("identified", ct)).Where(o => o.Grp != "case").GroupBy(o => o.County).SelectMany(g => g.Take(options.NotificationsPerCountyPerDay / 2)).ToList();
        await using var s = await StoreSession.BeginAsync(db, ct);
        await ControlActions.MoveManyAsync(s, orders.Select(o => o.Order).ToList(), ControlStatus.Identified, ControlStatus.Notified, "demo-community", "电话告知", ct, byMonitors: true);
        await s.CommitAsync(ct);
        _tally.Notified += orders.Count;
    }

    private async Task PlaceAsync(CancellationToken ct)
    {
        var notified = await OrdersAsync("notified", ct);
        await using var s = await StoreSession.BeginAsync(db, ct);
        _tally.UnderControl += await ControlActions.MoveManyAsync(s, notified.Where(o => o.Measure != ControlMeasure.CentralizedQuarantine.ToCode()).Select(o => o.Order).ToList(),
            ControlStatus.Notified, ControlStatus.UnderControl, "demo-community", "居家，门磁已安装", ct);
        var sendHome = new List<long>();
        await using (var c = await db.OpenConnectionAsync(ct))
        {
            // Household members already given a room with their family only need the transfer.
            var inRoom = (await c.QueryAsync<long>(new CommandDefinition("SELECT order_id FROM room_stays WHERE checked_out IS NULL", cancellationToken: ct))).ToHashSet();
            foreach (var o in notified.Where(o => inRoom.Contains(o.Order)))
            {
                await ControlActions.MoveAsync(s, o.Order, ControlStatus.TransferDispatched, $"S-{o.County}-control", new MoveDetails(null, $"宁A·{_rng.Next(10000, 99999)}", $"转运组{_rng.Next(1, 30)}"), null, ct);
                _tally.Placed++;
            }
            notified = notified.Where(o => !inRoom.Contains(o.Order)).ToList();
        }
        foreach (var county in notified.Where(o => o.Measure == ControlMeasure.CentralizedQuarantine.ToCode()).GroupBy(o => o.County))
        {
            var budget = options.TransfersPerCountyPerDay / 2;
            var full = new HashSet<int>();   // household sizes no room is left for
            foreach (var household in county.GroupBy(o => o.Household))
            {
                var members = household.ToList();
                if (budget < members.Count)
                {
                    break;
                }
                var officer = $"S-{county.Key}-control";
                try
                {
                    if (full.Contains(Math.Min(members.Count, 2)))
                    {
                        throw new RefusedException("no room");
                    }
                    await SiteRepository.AssignAsync(s, members.Select(m => m.Person).ToList(), null, null, false, officer, ct);
                }
                catch (RefusedException)
                {
                    full.Add(Math.Min(members.Count, 2));
                    // No room left: secondary contacts go home on the officer's decision; close contacts wait for a room.
                    sendHome.AddRange(members.Where(m => m.Grp == "secondary").Select(m => m.Order));
                    continue;
                }
                foreach (var m in members)
                {
                    await ControlActions.MoveAsync(s, m.Order, ControlStatus.TransferDispatched, officer,
                        new MoveDetails(null, $"宁A·{_rng.Next(10000, 99999)}", $"转运组{_rng.Next(1, 30)}"), null, ct);
                }
                budget -= members.Count;
                _tally.Placed += members.Count;
            }
        }
        var home = await MeasureActions.SendHomeManyAsync(s, sendHome, ControlMeasure.HomeQuarantine, "集中隔离房间不足，经专班批准转居家隔离", "demo-taskforce", ct);
        _tally.MovedHome += home;
        _tally.UnderControl += await ControlActions.MoveManyAsync(s, sendHome, ControlStatus.Notified, ControlStatus.UnderControl, "demo-community", "居家隔离，门磁已安装", ct);
        await s.CommitAsync(ct);
    }

    private async Task ArriveAsync(CancellationToken ct)
    {
        var moving = await OrdersAsync("transfer_dispatched", ct);
        await using var s = await StoreSession.BeginAsync(db, ct);
        foreach (var o in moving)
        {
            await ControlActions.MoveAsync(s, o.Order, ControlStatus.Arrived, $"S-{o.County}-control", new MoveDetails(), null, ct);
        }
        await ControlActions.MoveManyAsync(s, moving.Select(o => o.Order).ToList(), ControlStatus.Arrived, ControlStatus.UnderControl, "demo-site", "入住隔离房间", ct);
        await s.CommitAsync(ct);
        _tally.UnderControl += moving.Count;
    }

    private async Task SampleAsync(DateOnly day, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var due = (await c.QueryAsync<long>(new CommandDefinition(
            "SELECT DISTINCT t.person_id FROM scheduled_tests t JOIN control_orders o ON o.id = t.order_id " +
            "WHERE t.sampled_at IS NULL AND t.due_date <= @today AND o.active = 1 AND o.status = 'under_control' ORDER BY t.person_id",
            new { today = day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) }, cancellationToken: ct))).ToList();
        var round = due.Where(_ => _rng.NextDouble() < options.SampleRate).Select(p => ((int)p, $"SIM{day:yyyyMMdd}-{++_sampleCounter:000000}")).ToList();
        await using var s = await StoreSession.BeginAsync(db, ct);
        _tally.Samples += await MonitoringActions.SampleManyAsync(s, round, "demo-sampling", ct);
        await s.CommitAsync(ct);
    }

    private async Task ResultsAsync(CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var pending = (await c.QueryAsync<string>(new CommandDefinition("SELECT sample_key FROM scheduled_tests WHERE sample_key IS NOT NULL AND result IS NULL ORDER BY id", cancellationToken: ct))).ToList();
        var converted = false;
        await using (var s = await StoreSession.BeginAsync(db, ct))
        {
            foreach (var key in pending)
            {
                var positive = _rng.NextDouble() < options.PositiveRate;
                converted |= await MonitoringActions.ResultAsync(s, key, positive ? "positive" : "negative", "demo-lab", ct);
                _tally.Positives += positive ? 1 : 0;
            }
            await s.CommitAsync(ct);
        }
        if (converted)
        {
            // One stored trace at a time per store, as every re-trace (the command centre may be serving this store).
            await TraceLock.RunAsync(db, async () =>
            {
                await TraceRunner.RunAsync(db, policy, db.Now, store: true, ct);
                return await ControlSync.RunAsync(db, policy, ct);
            }, ct);
        }
    }

    private async Task ChecksAsync(CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var controlled = (await c.QueryAsync<(long Order, long Person)>(new CommandDefinition(
            "SELECT id, person_id FROM control_orders WHERE active = 1 AND status = 'under_control' AND grp <> 'case'", cancellationToken: ct))).ToList();
        var checks = controlled.Where(_ => _rng.NextDouble() < options.CheckRate)
            .Select(o => new HealthCheck(o.Order, (int)o.Person, Math.Round(36.2 + _rng.NextDouble() * 0.9, 1), null)).ToList();
        await using var s = await StoreSession.BeginAsync(db, ct);
        await MonitoringActions.RecordChecksAsync(s, policy, checks, "demo-community", ct);
        await s.CommitAsync(ct);
        _tally.Checks += checks.Count;
    }

    private async Task ReleaseAsync(DateOnly day, CancellationToken ct)
    {
        // The officers bring forward the files whose tests are all back negative; the decision checks every criterion again.
        await using var c = await db.OpenConnectionAsync(ct);
        var due = (await c.QueryAsync<long>(new CommandDefinition(
            "SELECT o.id FROM control_orders o WHERE o.active = 1 AND o.status = 'under_control' AND o.grp <> 'case' AND o.planned_end <= @day " +
            "AND NOT EXISTS (SELECT 1 FROM scheduled_tests t WHERE t.order_id = o.id AND (t.result IS NULL OR t.result <> 'negative')) ORDER BY o.id",
            new { day = day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) }, cancellationToken: ct))).ToList();
        await using var s = await StoreSession.BeginAsync(db, ct);
        foreach (var o in due)
        {
            try
            {
                await ReleaseActions.ReleaseAsync(s, policy, o, "demo-officer", null, ct);
                _tally.Released++;
            }
            catch (RefusedException)
            {
                // Not yet: a test missing or a close contact's tests pending; the audit lists it.
            }
        }
        await s.CommitAsync(ct);
    }
}
