using Dapper;
using Fangkong.Application;
using Fangkong.Application.Control;
using Fangkong.Control;
using Fangkong.Jurisdictions;
using Fangkong.Policies;
using Fangkong.Storage;
using Fangkong.Storage.Control;
using Fangkong.Text;
using Fangkong.Time;
using Microsoft.Extensions.DependencyInjection;

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

    /// <summary>Adds another run's counts (and times) to these.</summary>
    public void Add(SimulationTally other)
    {
        (Notified, Placed, MovedHome, UnderControl, Samples, Positives, Checks, Released, NewTasks, Escalations) =
            (Notified + other.Notified, Placed + other.Placed, MovedHome + other.MovedHome, UnderControl + other.UnderControl, Samples + other.Samples,
             Positives + other.Positives, Checks + other.Checks, Released + other.Released, NewTasks + other.NewTasks, Escalations + other.Escalations);
        foreach (var (phase, time) in other.PhaseTimes)
        {
            PhaseTimes[phase] = PhaseTimes.GetValueOrDefault(phase) + time;
        }
    }

    public string Timing => string.Join(", ", PhaseTimes.OrderByDescending(p => p.Value).Select(p => $"{p.Key} {p.Value.TotalSeconds:F1} s"));

    public override string ToString() =>
        $"{Notified:N0} notified, {Placed:N0} placed in rooms, {MovedHome:N0} moved to home quarantine (no room), {UnderControl:N0} under control, {Samples:N0} samples " +
        $"({Positives} positive), {Checks:N0} health checks, {Released:N0} released; {NewTasks:N0} tasks created, {Escalations:N0} escalations";
}

/// <summary>
/// Runs the closed loop forward in time on a store, through the same handlers an officer's actions
/// go through, audited with the simulated responders' names (source <c>simulate</c>): each simulated
/// day the clock runs the time rules at 08:00 and 20:00, community workers notify, control officers
/// place people in rooms and transfer them, the sites hand them over (and sample them on arrival), samples are taken and come
/// back, health checks are made, and orders at their planned end are decided. The field work goes in
/// rounds (<see cref="FieldRounds"/>), as a county's team works; a release is decided person by person.
/// </summary>
internal sealed class LoopSimulation(IServiceProvider services, ManualClock clock, PolicyProfile policy, SimulationOptions options)
{
    private readonly Database db = services.GetRequiredService<Database>();
    private readonly FieldRounds rounds = services.GetRequiredService<FieldRounds>();
    private readonly Random _rng = new(options.Seed);
    private SimulationTally _tally = new();
    private int _sampleCounter;

    private static readonly (int Hour, string Phase)[] Day =
    [
        (8, "tick"), (8, "checks"), (9, "notify"), (10, "place"), (13, "arrive"), (14, "sample"), (17, "notify"), (18, "place"), (18, "sample"), (18, "checks"), (19, "results"), (19, "release"),
        (20, "tick"), (21, "arrive"), (21, "sample"),
    ];

    /// <summary>A simulated responder: the whole region, acting from the command line under a role's name.</summary>
    private static Actor As(string name) => Actor.Operator(name) with { Source = "simulate" };

    /// <summary>Runs every phase after now and up to now + the options' days (or <paramref name="days"/>), then sets the store's simulated clock to that end; the counts are this run's.</summary>
    public async Task<SimulationTally> RunAsync(Action<string>? progress, CancellationToken ct, int? days = null)
    {
        _tally = new SimulationTally();
        if (_sampleCounter == 0)
        {
            // Sample numbers go on from an earlier simulation of the same store.
            await using var c = await db.OpenConnectionAsync(ct);
            _sampleCounter = await c.ExecuteScalarAsync<int>(new CommandDefinition("SELECT COUNT(*) FROM scheduled_tests WHERE sample_key LIKE 'SIM%'", cancellationToken: ct));
        }
        var end = db.Now + (days ?? options.Days) * 86400L;
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
        await services.GetRequiredService<Fangkong.Application.Time.SetClock>().HandleAsync(Actor.System("clock") with { Source = "simulate" }, end, ct);
        return _tally;
    }

    private async Task RunPhaseAsync(string phase, DateOnly day, CancellationToken ct)
    {
        switch (phase)
        {
            case "tick":
                var t = await services.GetRequiredService<RunClock>().HandleAsync(Actor.System("clock") with { Source = "simulate" }, policy, ct);
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

    private sealed record OpenOrder(long Order, int Person, string Measure, string Grp, string County, string Household);

    private async Task<List<OpenOrder>> OrdersAsync(string status, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<(long Order, long Person, string Measure, string Grp, string? Community, string? Address)>(new CommandDefinition(
            "SELECT o.id, o.person_id, o.measure, o.grp, p.community_code, COALESCE(o.home_address, p.address) FROM control_orders o JOIN persons p ON p.id = o.person_id " +
            "WHERE o.active = 1 AND o.status = @status ORDER BY o.identified_at, o.id", new { status }, cancellationToken: ct));
        return rows.Select(r => new OpenOrder(r.Order, (int)r.Person, r.Measure, r.Grp, Scope.CountyOf(r.Community),
            $"{r.Community}|{r.Address ?? r.Person.ToString(System.Globalization.CultureInfo.InvariantCulture)}")).ToList();
    }

    private static string Officer(string county) => $"S-{county}-control";

    private MoveDetails Transfer() => new(null, $"宁A·{_rng.Next(10000, 99999)}", $"转运组{_rng.Next(1, 30)}");

    private async Task NotifyAsync(CancellationToken ct)
    {
        // Two rounds a day, each with half the county's daily capacity.
        var orders = (await OrdersAsync("identified", ct)).Where(o => o.Grp != "case").GroupBy(o => o.County).SelectMany(g => g.Take(options.NotificationsPerCountyPerDay / 2)).ToList();
        _tally.Notified += await rounds.MoveAsync(As("demo-community"), new MoveRoundCommand([.. orders.Select(o => o.Order)], ControlStatus.Identified, ControlStatus.Notified, LoopLog.Write("notifiedByPhone"), ByMonitors: true), ct);
    }

    private async Task PlaceAsync(CancellationToken ct)
    {
        var notified = await OrdersAsync("notified", ct);
        var centralized = ControlMeasure.CentralizedQuarantine.ToCode();
        _tally.UnderControl += await rounds.MoveAsync(As("demo-community"),
            new MoveRoundCommand([.. notified.Where(o => o.Measure != centralized).Select(o => o.Order)], ControlStatus.Notified, ControlStatus.UnderControl, LoopLog.Write("homeDoorSensor")), ct);
        // Household members already given a room with their family only need the transfer.
        HashSet<long> inRoom;
        await using (var c = await db.OpenConnectionAsync(ct))
        {
            inRoom = (await c.QueryAsync<long>(new CommandDefinition("SELECT order_id FROM room_stays WHERE checked_out IS NULL", cancellationToken: ct))).ToHashSet();
        }
        var sendHome = new List<long>();
        foreach (var county in notified.Where(o => o.Measure == centralized).GroupBy(o => o.County))
        {
            var officer = As(Officer(county.Key));
            var transfers = county.Where(o => inRoom.Contains(o.Order)).Select(o => (o.Order, Transfer())).ToList();
            var budget = options.TransfersPerCountyPerDay / 2;
            var full = false;   // no room is left, not even split
            foreach (var household in county.Where(o => !inRoom.Contains(o.Order)).GroupBy(o => o.Household))
            {
                var members = household.ToList();
                if (budget < members.Count)
                {
                    break;
                }
                if (!full && (await TryPlaceAsync(officer, members, null, ct) || await TryPlaceAsync(officer, members, "家庭成员多于房间床位，分房安置", ct)))
                {
                    transfers.AddRange(members.Select(m => (m.Order, Transfer())));
                    budget -= members.Count;
                    continue;
                }
                full = true;
                // No room left: secondary contacts go home on the task force's decision; close contacts wait for a room.
                sendHome.AddRange(members.Where(m => m.Grp == "secondary").Select(m => m.Order));
            }
            _tally.Placed += await rounds.StepAsync(officer, new StepRoundCommand(ControlStatus.TransferDispatched, transfers), ct);
        }
        _tally.MovedHome += await rounds.SendHomeAsync(As("demo-taskforce"), new SendHomeRoundCommand(sendHome, ControlMeasure.HomeQuarantine, "集中隔离房间不足，经专班批准转居家隔离"), ct);
        _tally.UnderControl += await rounds.MoveAsync(As("demo-community"), new MoveRoundCommand(sendHome, ControlStatus.Notified, ControlStatus.UnderControl, LoopLog.Write("homeDoorSensor")), ct);
    }

    private async Task<bool> TryPlaceAsync(Actor officer, List<OpenOrder> household, string? splitReason, CancellationToken ct)
    {
        try
        {
            await rounds.PlaceHouseholdAsync(officer, new HouseholdCommand([.. household.Select(m => m.Person)], splitReason), ct);
            return true;
        }
        catch (RefusedException)
        {
            return false;   // every site is full for a household of this size; the audit log has the refusal
        }
    }

    private async Task ArriveAsync(CancellationToken ct)
    {
        var moving = await OrdersAsync("transfer_dispatched", ct);
        foreach (var county in moving.GroupBy(o => o.County))
        {
            await rounds.StepAsync(As(Officer(county.Key)), new StepRoundCommand(ControlStatus.Arrived, [.. county.Select(o => (o.Order, new MoveDetails()))]), ct);
        }
        _tally.UnderControl += await rounds.MoveAsync(As("demo-site"), new MoveRoundCommand([.. moving.Select(o => o.Order)], ControlStatus.Arrived, ControlStatus.UnderControl, LoopLog.Write("checkedIntoRoom")), ct);
    }

    private async Task SampleAsync(DateOnly day, CancellationToken ct)
    {
        List<long> due;
        await using (var c = await db.OpenConnectionAsync(ct))
        {
            due = (await c.QueryAsync<long>(new CommandDefinition(
                "SELECT DISTINCT t.person_id FROM scheduled_tests t JOIN control_orders o ON o.id = t.order_id " +
                "WHERE t.sampled_at IS NULL AND t.due_date <= @today AND o.active = 1 AND o.status = 'under_control' ORDER BY t.person_id",
                new { today = day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) }, cancellationToken: ct))).ToList();
        }
        var round = due.Where(_ => _rng.NextDouble() < options.SampleRate).Select(p => ((int)p, $"SIM{day:yyyyMMdd}-{++_sampleCounter:000000}")).ToList();
        _tally.Samples += await rounds.SampleAsync(As("demo-sampling"), new SampleRoundCommand(round), ct);
    }

    private async Task ResultsAsync(CancellationToken ct)
    {
        List<string> pending;
        await using (var c = await db.OpenConnectionAsync(ct))
        {
            pending = (await c.QueryAsync<string>(new CommandDefinition("SELECT sample_key FROM scheduled_tests WHERE sample_key IS NOT NULL AND result IS NULL ORDER BY id", cancellationToken: ct))).ToList();
        }
        var results = pending.Select(key => (key, _rng.NextDouble() < options.PositiveRate ? "positive" : "negative")).ToList();
        _tally.Positives += results.Count(r => r.Item2 == "positive");
        // Positives become cases and the round re-traces once, holding the store's trace lock.
        await rounds.ResultsAsync(As("demo-lab"), new ResultRoundCommand(results), ct);
    }

    private async Task ChecksAsync(CancellationToken ct)
    {
        List<(long Order, long Person)> controlled;
        await using (var c = await db.OpenConnectionAsync(ct))
        {
            controlled = (await c.QueryAsync<(long Order, long Person)>(new CommandDefinition(
                "SELECT id, person_id FROM control_orders WHERE active = 1 AND status = 'under_control' AND grp <> 'case'", cancellationToken: ct))).ToList();
        }
        var checks = controlled.Where(_ => _rng.NextDouble() < options.CheckRate)
            .Select(o => new HealthCheck(o.Order, (int)o.Person, Math.Round(36.2 + _rng.NextDouble() * 0.9, 1), null)).ToList();
        _tally.Checks += await rounds.ChecksAsync(As("demo-community"), new CheckRoundCommand(checks), policy, ct);
    }

    private async Task ReleaseAsync(DateOnly day, CancellationToken ct)
    {
        // The officers bring forward the files whose tests are all back negative; the decision checks every criterion again.
        List<(long Order, string Person)> due;
        await using (var c = await db.OpenConnectionAsync(ct))
        {
            due = (await c.QueryAsync<(long Order, string Person)>(new CommandDefinition(
                "SELECT o.id, p.person_key FROM control_orders o JOIN persons p ON p.id = o.person_id WHERE o.active = 1 AND o.status = 'under_control' AND o.grp <> 'case' " +
                "AND o.planned_end <= @day AND NOT EXISTS (SELECT 1 FROM scheduled_tests t WHERE t.order_id = o.id AND (t.result IS NULL OR t.result <> 'negative')) ORDER BY o.id",
                new { day = day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) }, cancellationToken: ct))).ToList();
        }
        var release = services.GetRequiredService<ReleaseOrder>();
        foreach (var (order, person) in due)
        {
            try
            {
                await release.HandleAsync(As("demo-officer"), new ReleaseOrderCommand(person, OrderId: order), ct);
                _tally.Released++;
            }
            catch (RefusedException)
            {
                // Not yet: a test missing or a close contact's tests pending; the audit log has the refusal.
            }
        }
    }
}
