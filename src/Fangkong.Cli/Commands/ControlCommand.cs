using System.CommandLine;
using System.Globalization;
using Fangkong.Application.Control;
using Fangkong.Application.Tracing;
using Fangkong.Control;
using Fangkong.Jurisdictions;
using Fangkong.Policies;
using Fangkong.Storage.Control;
using Fangkong.Storage.People;
using Fangkong.Storage.Staff;
using Fangkong.Storage;
using Spectre.Console;

namespace Fangkong.Cli.Commands;

/// <summary>
/// <c>fangkong control …</c>: control orders (管控令) and the closed loop (闭环管理): list, show, move a
/// step, change the measure, name the monitor, record checks, samples and results, release, and the
/// automatic parts (sync with the traced contacts, run the clock).
/// </summary>
internal static class ControlCommand
{
    public static readonly Option<string?> Policy = new("--policy") { Description = "Policy profile for new orders and the clock's rules (default: the store's, see 'fangkong policy use').", Recursive = true };

    public static Command Build()
    {
        var command = new Command("control", "Control orders (管控令) and the closed loop: identified → notified → transfer → arrived → under control → released, or converted to case, or lost.");
        command.Options.Add(Policy);
        command.Subcommands.Add(List());
        command.Subcommands.Add(Show());
        command.Subcommands.Add(AddArrival());
        command.Subcommands.Add(Move());
        command.Subcommands.Add(Measure());
        command.Subcommands.Add(Monitor());
        command.Subcommands.Add(Check());
        command.Subcommands.Add(Sample());
        command.Subcommands.Add(Result());
        command.Subcommands.Add(Release());
        command.Subcommands.Add(Sync());
        command.Subcommands.Add(Tick());
        return command;
    }

    private static Argument<string> OrderArgument() => new("order") { Description = "The person's key (person_id; their active order) or an order number." };

    private static Option<int?> ExpectVersion() => new("--expect-version") { Description = "Act only if the order is still at this version (as shown by 'control show'); otherwise refuse." };

    private static Command List()
    {
        var status = new Option<string?>("--status") { Description = "Only orders in this step: identified, notified, transfer_dispatched, arrived, under_control, lost (released and converted_to_case with --all)." };
        var group = new Option<string?>("--group") { Description = "close, secondary, case, arrival_high_risk, arrival_medium_risk, arrival_low_risk." };
        var within = new Option<string?>("--within") { Description = "Only people living in this division and below." };
        var all = new Option<bool>("--all") { Description = "Include closed orders." };
        var limit = new Option<int>("--limit") { Description = "At most this many rows.", DefaultValueFactory = _ => 200 };
        var command = new Command("list", "List control orders.") { status, group, within, all, limit };
        command.SetAction(async (parse, ct) =>
        {
            ControlStatus? st = parse.GetValue(status) is { } s ? ControlLoop.TryParse(s, out var x) ? x : throw new UsageException($"--status '{s}' is not a step of the loop.") : null;
            ControlGroup? g = parse.GetValue(group) is { } gs ? Try(() => ControlCodes.ParseGroup(gs), $"--group '{gs}' is not a control group.") : null;
            await using var db = await CommandLine.OpenStoreAsync(parse, ct);
            var orders = await ControlRepository.ListAsync(db, new OrderQuery(st, g, Within(parse, within), !parse.GetValue(all), parse.GetValue(limit)), ct);
            var people = await KeysAsync(db, orders.Select(o => o.PersonId), ct);
            var monitors = (await StaffRepository.ListAsync(db, null, ct)).ToDictionary(m => m.Id);
            var table = new Table().AddColumns("order", "person_id", "name 姓名", "group 类别", "measure 措施", "status 状态", "start", "planned end", "monitor 包保");
            foreach (var o in orders)
            {
                var (key, name) = people[o.PersonId];
                table.AddRow($"#{o.Id}", Markup.Escape(key), Markup.Escape(name ?? ""), o.Group.ToChinese(), o.Measure.ToChinese(), $"{o.Status.ToCode()} {o.Status.ToChinese()}",
                    Date(o.StartDate), o.PlannedEnd is { } e && e != DateOnly.MaxValue ? Date(e) : "—", o.MonitorId is { } m && monitors.TryGetValue(m, out var mm) ? Markup.Escape($"{mm.Key} {mm.Name}") : "[red]none 未指定[/]");
            }
            Fangkong.Cli.Console.Screen.Write(table);
            System.Console.WriteLine($"{orders.Count} order(s).");
            return 0;
        });
        return command;
    }

    private static Command Show()
    {
        var order = OrderArgument();
        var command = new Command("show", "Show an order: measure, dates, test schedule with results, monitor, health checks and every step of the loop with its time and actor.") { order };
        command.SetAction(async (parse, ct) =>
        {
            await using var db = await CommandLine.OpenStoreAsync(parse, ct);
            var (o, _) = await ResolveAsync(db, parse.GetValue(order)!, ct);
            var person = (await KeysAsync(db, [o.PersonId], ct))[o.PersonId];
            var monitor = o.MonitorId is { } m ? await StaffRepository.FindAsync(db, m, ct) : null;
            System.Console.WriteLine($"""
                order           #{o.Id} (version {o.Version}){(o.Active ? "" : " closed")}
                person          {person.Key} {person.Name}
                group           {o.Group.ToCode()} {o.Group.ToChinese()}
                measure         {o.Measure.ToCode()} {o.Measure.ToChinese()} (plan step {o.Step + 1}, {o.PolicyId} v{o.PolicyVersion})
                status          {o.Status.ToCode()} {o.Status.ToChinese()}{(o.LostReason is null ? "" : $" — {o.LostReason}")}
                last exposure   {(o.LastExposure is { } le ? db.Calendar.Format(le) : "—")} (day 0 = {Date(o.DayZero)})
                planned end     {(o.PlannedEnd is { } pe && pe != DateOnly.MaxValue ? Date(pe) : "— (until discharge)")}
                transfer due    {(o.TransferDue is { } td ? db.Calendar.Format(td) : "—")}
                monitor         {(monitor is null ? "none 未指定" : $"{monitor.Key} {monitor.Name} ({monitor.Jurisdiction})")}
                home address    {o.HomeAddress ?? "—"}
                """);
            System.Console.WriteLine("tests (核酸检测):");
            foreach (var t in await ControlRepository.TestsAsync(db, o.Id, ct))
            {
                System.Console.WriteLine($"  day {t.DayNumber,2}  {Date(t.DueDate)}  {(t.SampleKey is null ? "not sampled" : $"sample {t.SampleKey} at {db.Calendar.Format(t.SampledAt!.Value)}")}  {t.Result ?? ""}");
            }
            var checks = await ControlRepository.ChecksAsync(db, o.Id, ct);
            System.Console.WriteLine($"health checks (健康监测): {checks.Count}" + (checks.Count == 0 ? "" : $", last {db.Calendar.Format(checks[^1].At)} {checks[^1].Temperature:0.0} °C {checks[^1].Symptoms}"));
            System.Console.WriteLine("loop (闭环):");
            foreach (var e in await ControlRepository.EventsAsync(db, o.Id, ct))
            {
                System.Console.WriteLine($"  {db.Calendar.Format(e.At)}  {e.Actor,-12} {(e.From is null || e.From == e.To ? "" : e.From + " → ")}{e.To}  {Console.CliText.Log(e.Detail)}");
            }
            return 0;
        });
        return command;
    }

    private static Command AddArrival()
    {
        var person = new Argument<string>("person_id") { Description = "The arrival (来宁人员)." };
        var from = new Option<string>("--from") { Description = "high, medium or low: the risk level of the area they came from (low: a low-risk area of an affected county).", Required = true };
        from.AcceptOnlyFromAmong("high", "medium", "low");
        var left = new Option<string>("--left") { Description = "The day they left the area, YYYY-MM-DD (day 0 of the measure).", Required = true };
        var command = new Command("arrival", "Put an arrival from a risk area under the policy's measure (e.g. 14 d centralized quarantine under cn-v8-2021 for a high-risk area).") { person, from, left };
        command.SetAction(async (parse, ct) =>
        {
            if (!DateOnly.TryParseExact(parse.GetValue(left), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                throw new UsageException($"--left '{parse.GetValue(left)}' is not a date YYYY-MM-DD.");
            }
            var group = parse.GetValue(from) switch
            {
                "high" => ControlGroup.ArrivalHighRisk,
                "medium" => ControlGroup.ArrivalMediumRisk,
                _ => ControlGroup.ArrivalLowRiskAffectedCounty,
            };
            await using var app = await CliApp.OpenAsync(parse, ct);
            var key = parse.GetValue(person)!;
            await CaseCommand.FindPersonAsync(app.Db, key, ct);
            var o = await app.Get<AddArrival>().HandleAsync(app.Actor, new ArrivalCommand(key, group, day), ct);
            System.Console.WriteLine($"order #{o.Id}: {key} {group.ToChinese()}, {o.Measure.ToChinese()} until {Date(o.PlannedEnd!.Value)}");
            return 0;
        });
        return command;
    }

    private static Command Move()
    {
        var order = OrderArgument();
        var to = new Argument<string>("status") { Description = "notified, transfer_dispatched, arrived, under_control or lost." };
        to.AcceptOnlyFromAmong("notified", "transfer_dispatched", "arrived", "under_control", "lost");
        var reason = new Option<string?>("--reason") { Description = "Why (required for lost)." };
        var vehicle = new Option<string?>("--vehicle") { Description = "Transfer vehicle (plate number), for transfer_dispatched." };
        var crew = new Option<string?>("--crew") { Description = "Transfer crew, for transfer_dispatched." };
        var pickup = new Option<string?>("--pickup") { Description = "Pickup address (default: the home address), for transfer_dispatched." };
        var at = new Option<string?>("--at") { Description = "When the step happened, if earlier than now (ISO 8601 with offset, e.g. 2021-10-22T14:20:00+08:00); not before the order's last step." };
        var expect = ExpectVersion();
        var command = new Command("move", "Move an order one step along the loop. Steps out of order are refused with the reason.") { order, to, reason, vehicle, crew, pickup, at, expect };
        command.SetAction(async (parse, ct) =>
        {
            await using var app = await CliApp.OpenAsync(parse, ct);
            var (o, key) = await ResolveAsync(app.Db, parse.GetValue(order)!, ct);
            var moved = await app.Get<MoveOrder>().HandleAsync(app.Actor, new MoveOrderCommand(key, ControlLoop.Parse(parse.GetValue(to)!),
                new MoveDetails(parse.GetValue(reason), parse.GetValue(vehicle), parse.GetValue(crew), parse.GetValue(pickup), CaseCommand.Time(parse.GetValue(at), "--at", app.Db)), parse.GetValue(expect), o.Id), ct);
            System.Console.WriteLine($"order #{moved.Id}: {o.Status.ToCode()} → {moved.Status.ToCode()} ({moved.Status.ToChinese()}), version {moved.Version}");
            return 0;
        });
        return command;
    }

    private static Command Measure()
    {
        var order = OrderArgument();
        var measure = new Argument<string>("measure") { Description = "centralized_quarantine, home_quarantine, home_health_monitoring, health_monitoring or tests_only." };
        measure.AcceptOnlyFromAmong("centralized_quarantine", "home_quarantine", "home_health_monitoring", "health_monitoring", "tests_only");
        var reason = new Option<string>("--reason") { Description = "Why the measure changes (recorded).", Required = true };
        var expect = ExpectVersion();
        var command = new Command("measure", "Change an order's measure, with a reason.") { order, measure, reason, expect };
        command.SetAction(async (parse, ct) =>
        {
            await using var app = await CliApp.OpenAsync(parse, ct);
            var (o, key) = await ResolveAsync(app.Db, parse.GetValue(order)!, ct);
            var changed = await app.Get<ChangeMeasure>().HandleAsync(app.Actor,
                new ChangeMeasureCommand(key, ControlCodes.ParseMeasure(parse.GetValue(measure)!), parse.GetValue(reason)!, parse.GetValue(expect), o.Id), ct);
            System.Console.WriteLine($"order #{changed.Id}: {o.Measure.ToCode()} → {changed.Measure.ToCode()} ({changed.Measure.ToChinese()})");
            return 0;
        });
        return command;
    }

    private static Command Monitor()
    {
        var order = OrderArgument();
        var staff = new Argument<string>("staff_key") { Description = "The monitor (包保责任人); must work for the person's community or a division above it." };
        var command = new Command("monitor", "Name the monitor (包保责任人) of a controlled person.") { order, staff };
        command.SetAction(async (parse, ct) =>
        {
            await using var app = await CliApp.OpenAsync(parse, ct);
            var (o, key) = await ResolveAsync(app.Db, parse.GetValue(order)!, ct);
            await app.Get<AssignMonitor>().HandleAsync(app.Actor, new AssignMonitorCommand(key, parse.GetValue(staff)!, o.Id), ct);
            System.Console.WriteLine($"order #{o.Id}: monitor {parse.GetValue(staff)}");
            return 0;
        });
        return command;
    }

    private static Command Check()
    {
        var person = new Argument<string>("person_id") { Description = "The controlled person." };
        var temperature = new Option<double>("--temperature") { Description = "Body temperature in °C.", Required = true };
        var symptoms = new Option<string?>("--symptoms") { Description = "Symptoms, if any (e.g. 咳嗽, 乏力)." };
        var command = new Command("check", "Record a health check (健康监测): temperature and symptoms. A fever or a symptom makes an urgent task.") { person, temperature, symptoms };
        command.SetAction(async (parse, ct) =>
        {
            await using var app = await CliApp.OpenAsync(parse, ct);
            var p = await CaseCommand.FindPersonAsync(app.Db, parse.GetValue(person)!, ct);
            var urgent = await app.Get<RecordHealthCheck>().HandleAsync(app.Actor, new HealthCheckCommand(p.Person.PersonKey, parse.GetValue(temperature), parse.GetValue(symptoms)), ct);
            System.Console.WriteLine($"check recorded for {p.Person.PersonKey}: {parse.GetValue(temperature):0.0} °C" + (urgent ? " — fever or symptoms: urgent task created" : ""));
            return 0;
        });
        return command;
    }

    private static Command Sample()
    {
        var person = new Argument<string>("person_id") { Description = "The controlled person." };
        var sample = new Option<string>("--sample") { Description = "The sample (tube) number.", Required = true };
        var command = new Command("sample", "Record the sample taken for the person's test due today (or overdue).") { person, sample };
        command.SetAction(async (parse, ct) =>
        {
            await using var app = await CliApp.OpenAsync(parse, ct);
            var p = await CaseCommand.FindPersonAsync(app.Db, parse.GetValue(person)!, ct);
            var slot = await app.Get<RecordSample>().HandleAsync(app.Actor, new SampleCommand(p.Person.PersonKey, parse.GetValue(sample)!), ct);
            System.Console.WriteLine($"sample {slot.SampleKey}: {p.Person.PersonKey}, day-{slot.DayNumber} test due {Date(slot.DueDate)}");
            return 0;
        });
        return command;
    }

    private static Command Result()
    {
        var sample = new Argument<string>("sample") { Description = "The sample number." };
        var result = new Argument<string>("result") { Description = "negative or positive." };
        result.AcceptOnlyFromAmong("negative", "positive");
        var command = new Command("result", "Record a sample's result. A positive result makes the person a case, traces it and updates the orders.") { sample, result };
        command.SetAction(async (parse, ct) =>
        {
            await using var app = await CliApp.OpenAsync(parse, ct);
            var outcome = await app.Get<RecordResult>().HandleAsync(app.Actor, new ResultCommand(parse.GetValue(sample)!, parse.GetValue(result)!, await app.PolicyAsync(parse, Policy, ct)), ct);
            System.Console.WriteLine($"sample {parse.GetValue(sample)}: {parse.GetValue(result)}");
            if (outcome.Retrace is { } traced)
            {
                System.Console.WriteLine("positive: the person is now a case (转为病例); traced:");
                Print(traced);
            }
            return 0;
        });
        return command;
    }

    private static Command Release()
    {
        var order = new Argument<string?>("order") { Description = "The person's key or an order number; omit with --due.", Arity = ArgumentArity.ZeroOrOne };
        var due = new Option<bool>("--due") { Description = "Decide every order whose planned end has come: release those that meet the criteria, list the others with their reasons." };
        var expect = ExpectVersion();
        var command = new Command("release", "Release (解除管控) when the policy's criteria hold: planned end reached, all scheduled tests negative, and for a secondary contact the close contact's first tests negative. Refused otherwise, with every reason.") { order, due, expect };
        command.SetAction(async (parse, ct) =>
        {
            await using var app = await CliApp.OpenAsync(parse, ct);
            if (parse.GetValue(due))
            {
                var round = await app.Get<ReleaseAllDue>().HandleAsync(app.Actor, ct);
                foreach (var reason in round.NotReleased)
                {
                    System.Console.WriteLine($"  not released: {reason}");
                }
                System.Console.WriteLine($"{round.Due} order(s) at their planned end: {round.Released} released, {round.NotReleased.Count} not yet.");
                return 0;
            }
            var (o1, key) = await ResolveAsync(app.Db, parse.GetValue(order) ?? throw new UsageException("name an order (person_id or order number), or use --due."), ct);
            var decision = await app.Get<ReleaseOrder>().HandleAsync(app.Actor, new ReleaseOrderCommand(key, parse.GetValue(expect), o1.Id), ct);
            System.Console.WriteLine($"order #{decision.OrderId} released: {Console.CliText.Log(decision.Basis)}");
            return 0;
        });
        return command;
    }

    private static Command Sync()
    {
        var command = new Command("sync", "Give every stored close and secondary contact and every case exactly one active order (with tests, monitor and first tasks); extend, upgrade and convert orders as the contacts changed. Tracing runs this by itself.");
        command.SetAction(async (parse, ct) =>
        {
            await using var app = await CliApp.OpenAsync(parse, ct);
            Print(await app.Get<Retrace>().SyncAsync(app.Actor, await app.PolicyAsync(parse, Policy, ct), ct));
            return 0;
        });
        return command;
    }

    private static Command Tick()
    {
        var command = new Command("tick", "Run the time rules as of now (or --now): tasks for missed tests, missed health checks and planned ends reached; escalation of overdue tasks up the jurisdiction chain.");
        command.SetAction(async (parse, ct) =>
        {
            await using var app = await CliApp.OpenAsync(parse, ct);
            var db = app.Db;
            var t = await app.Get<RunClock>().HandleAsync(app.Actor, await app.PolicyAsync(parse, Policy, ct), ct);
            System.Console.WriteLine($"clock at {db.Calendar.Format(db.Now)}: {t.NewTasks} new task(s) — {t.MissedTests} missed test(s), {t.MissedChecks} missed health check day(s), {t.ReleasesDue} release review(s) due; {t.Escalations} escalation(s).");
            return 0;
        });
        return command;
    }

    /// <summary>What a re-trace found and what the orders did.</summary>
    internal static void Print(RetraceOutcome traced)
    {
        var outcome = traced.Trace;
        System.Console.WriteLine($"traced {outcome.Data.Cases.Count} case(s) under {traced.Policy.Id}: {outcome.Findings.Count(f => f.Tier == Tracing.ContactTier.Close)} close, " +
                                 $"{outcome.Findings.Count(f => f.Tier == Tracing.ContactTier.Secondary)} secondary, {outcome.Findings.Count(f => f.Tier == Tracing.ContactTier.General)} general contacts ({outcome.Changed} changed).");
        Print(traced.Sync);
    }

    internal static void Print(SyncOutcome s) =>
        System.Console.WriteLine($"control orders: {s.Created} new, {s.Extended} extended, {s.Upgraded} upgraded, {s.Converted} converted to case, {s.Reviews} to review; {s.Tasks} task(s) created.");

    /// <summary>The profile named by --policy, else the store's choice ('fangkong policy use'), else the default.</summary>
    internal static Task<PolicyProfile> PolicyOfAsync(ParseResult parse, Database db, CancellationToken ct) =>
        PolicyCommand.ChosenAsync(parse, Policy, PolicyCommand.Load(parse), db, ct);

    internal static JurisdictionCode? Within(ParseResult parse, Option<string?> option) =>
        parse.GetValue(option) is not { } text ? null
        : JurisdictionCode.TryParse(text, out var code, out var error) ? code
        : throw new UsageException($"{option.Name} {error}.");

    /// <summary>A person's key names their active order; a number that is no person's key names an order. Returns the order and its person's key.</summary>
    internal static async Task<(ControlOrder Order, string PersonKey)> ResolveAsync(Database db, string text, CancellationToken ct)
    {
        if (await PersonRepository.FindAsync(db, text, ct) is { } person)
        {
            return (await ControlRepository.ActiveForAsync(db, person.Id, ct)
                ?? throw new RefusedException($"person {text} has no active control order", "order.none"), person.Person.PersonKey);
        }
        var digits = text.TrimStart('#');
        var order = long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? await ControlRepository.FindAsync(db, id, ct) ?? throw new UsageException($"no control order #{id}.")
            : throw new UsageException($"no person with person_id '{text}' and no order number '{text}'.");
        return (order, (await KeysAsync(db, [order.PersonId], ct))[order.PersonId].Key);
    }

    internal static async Task<Dictionary<int, (string Key, string? Name)>> KeysAsync(Database db, IEnumerable<int> ids, CancellationToken ct)
    {
        return (await PersonRepository.LoadByIdsAsync(db, ids, ct)).ToDictionary(p => p.Id, p => (p.Person.PersonKey, p.Person.Name));
    }

    internal static string Date(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static T Try<T>(Func<T> f, string message)
    {
        try
        {
            return f();
        }
        catch (FormatException)
        {
            throw new UsageException(message);
        }
    }
}
