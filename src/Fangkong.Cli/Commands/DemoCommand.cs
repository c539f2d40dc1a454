using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Fangkong.Application;
using Fangkong.Application.Audit;
using Fangkong.Application.Time;
using Fangkong.Application.Tracing;
using Fangkong.Cli.Demo;
using Fangkong.Storage.Cases;
using Fangkong.Storage.Checkins;
using Fangkong.Storage.Exposures;
using Fangkong.Storage.Jurisdictions;
using Fangkong.Storage.People;
using Fangkong.Storage.Venues;
using Fangkong.Storage;
using Fangkong.Text;
using Fangkong.Web;
using Microsoft.Extensions.DependencyInjection;

namespace Fangkong.Cli.Commands;

internal static class DemoCommand
{
    public const string DefaultFile = "fangkong-demo.db";

    public static Command Build()
    {
        var seed = new Option<int>("--seed") { Description = "Random seed; the same seed builds the same data.", DefaultValueFactory = _ => 20211022 };
        var people = new Option<int>("--people") { Description = "How many people (default 100,000; scales to millions).", DefaultValueFactory = _ => 100_000 };
        var venues = new Option<int?>("--venues") { Description = "How many venues (default: 3 per 100 people, 3,000 for 100,000)." };
        var lastDay = new Option<string>("--today") { Description = "The demo's last day of data, YYYY-MM-DD (default 2021-10-22, the date of the seed report).", DefaultValueFactory = _ => "2021-10-22" };
        var noServe = new Option<bool>("--no-serve") { Description = "Stop after building the data instead of serving the command centre." };
        var foundLate = new Option<bool>("--found-late") { Description = "Find the whole outbreak on the last day (a hidden outbreak found late: one trace, a backlog of contacts to bring under control) instead of day by day as the cases were reported." };
        var capacity = new Option<int>("--field-capacity") { Description = "People a county's community workers notify a day in the simulated loop (its control officers transfer half as many); lower it to see a backlog.", DefaultValueFactory = _ => 800 };
        var simulateDays = new Option<int>("--simulate-days") { Description = "Days of the closed loop to run after tracing (0: stop at the trace; 'fangkong simulate' runs more later).", DefaultValueFactory = _ => 1 };
        var command = new Command("demo", $"Build a synthetic Ningxia (people, venues, 14 days of check-ins, an outbreak in progress) and serve it. Default store: ./{DefaultFile}.")
        {
            seed, people, venues, lastDay, noServe, foundLate, capacity, simulateDays, ServeCommand.Urls, ControlCommand.Policy,
        };
        command.SetAction(async (parse, ct) =>
        {
            if (!DateOnly.TryParseExact(parse.GetValue(lastDay), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var today))
            {
                throw new UsageException("--today must be a date YYYY-MM-DD.");
            }
            if (parse.GetValue(people) is < 100 or > 20_000_000)
            {
                throw new UsageException("--people must be between 100 and 20,000,000.");
            }
            if (parse.GetValue(simulateDays) is < 0 or > 60)
            {
                throw new UsageException("--simulate-days must be between 0 and 60.");
            }
            if (parse.GetValue(capacity) is < 1 or > 1_000_000)
            {
                throw new UsageException("--field-capacity must be between 1 and 1,000,000 people a day.");
            }
            var location = StoreLocation.Parse(parse.GetValue(CommandLine.Db) ?? Environment.GetEnvironmentVariable(StoreLocation.EnvironmentVariable) ?? DefaultFile);
            await using var db = await OpenEmptyAsync(location, ct);
            var venueCount = parse.GetValue(venues) ?? parse.GetValue(people) * 3 / 100;
            var options = new DemoOptions(parse.GetValue(seed), parse.GetValue(people), Math.Max(venueCount, 100), 14, today);
            var clock = Stopwatch.StartNew();
            System.Console.WriteLine($"Building a synthetic Ningxia: {options.People:N0} people, seed {options.Seed}, last day {today:yyyy-MM-dd} …");
            var data = new SyntheticNingxia(options, db.Calendar).Build();
            var built = clock.Elapsed;
            await WriteAsync(db, data, ct);
            System.Console.WriteLine($"""
                Done in {clock.Elapsed.TotalSeconds:F1} s (generate {built.TotalSeconds:F1} s, store {(clock.Elapsed - built).TotalSeconds:F1} s) into {location}
                  jurisdictions  {NingxiaReference():N0} built in + {data.Divisions.Count:N0} synthetic townships and communities
                  people         {data.People.Count:N0} in {data.Households:N0} households across the 22 counties
                  venues         {data.Venues.Count:N0}
                  check-ins      {data.Checkins.Count:N0} over 14 days
                  exposures      {data.Exposures.Count:N0} (household, and workplace in {data.Teams:N0} teams)
                  cases          {data.Cases.Count:N0} ({data.Cases.Count(c => c.OnsetDate is null):N0} asymptomatic), reported up to {today:yyyy-MM-dd}
                """);
            // The check-ins and exposures are in the store now: the response reads them from there.
            data.ReleaseStored();
            await RespondAsync(db, PolicyCommand.Load(parse), data, today, parse.GetValue(seed), parse.GetValue(simulateDays), parse.GetValue(foundLate), parse.GetValue(capacity), await ControlCommand.PolicyOfAsync(parse, db, ct), ct);
            await DemoAccounts.AddAsync(db, data, location, ct);
            await db.AnalyzeAsync(ct);
            if (parse.GetValue(noServe))
            {
                return 0;
            }
            await using var served = await Database.OpenAsync(location, ct: ct);
            await CommandCentre.RunAsync(served, new CommandCentreOptions(parse.GetValue(ServeCommand.Urls)!, await ControlCommand.PolicyOfAsync(parse, served, ct)), ct);
            return 0;
        });
        return command;
    }

    /// <summary>
    /// The response, on the store's simulated clock: staff and quarantine sites; then the outbreak as it
    /// was found. Each afternoon (16:00) from the first report to the demo's last day, the cases reported
    /// by then are recorded, every case is traced and everyone classified gets an order; the closed loop
    /// then runs to the next afternoon (notify, transfer, place, test), so a close contact's secondary
    /// contacts are traced until they came under control (rule 3), as a real response goes. With
    /// --found-late every case is found on the last afternoon at once (one trace, the whole backlog).
    /// Finally the loop runs on for --simulate-days.
    /// </summary>
    private static async Task RespondAsync(Database db, Policies.PolicyCatalog catalog, DemoData data, DateOnly today, int seed, int days, bool foundLate, int capacity, Policies.PolicyProfile policy, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var (staff, sites, rooms) = await DemoResponders.AddAsync(db, data, seed, ct);
        var last = db.Calendar.StartOfDay(today) + 16 * 3600;
        var cases = data.Cases.OrderBy(c => c.ReportTime).ToList();
        var first = cases.Count == 0 ? last : Math.Min(last, db.Calendar.StartOfDay(db.Calendar.LocalDate(cases[0].ReportTime)) + 16 * 3600);
        if (cases.Count > 0 && first < cases[0].ReportTime)
        {
            first += 86400;
        }
        if (foundLate)
        {
            first = last;
        }
        var clock = new Time.ManualClock(DateTimeOffset.FromUnixTimeSeconds(first));
        await using var sim = await Database.OpenAsync(db.Location, clock, ct: ct);
        await using var services = new ServiceCollection().AddFangkong(sim, catalog).BuildServiceProvider();
        var demo = Actor.System("demo") with { Source = "simulate" };
        await services.GetRequiredService<AuditSink>().RecordAsync(demo, "demo.build", "store",
            AuditDetail.Write("demo", [.. new long[] { data.People.Count, data.Venues.Count, data.Cases.Count, staff, sites, rooms, seed }.Select(Phrase.Number)]));
        System.Console.WriteLine($"""
                  staff          {staff:N0} (commanders, investigators, control and testing officers per county, a community worker per community)
                  sites          {sites} quarantine sites with {rooms:N0} rooms
                """);
        RetraceOutcome? traced = null;
        var recorded = 0;
        var loop = new SimulationTally();
        var simulation = new LoopSimulation(services, clock, policy, new SimulationOptions(1, seed, capacity, Math.Max(1, capacity / 2)));
        for (var at = first; at <= last; at += 86400)
        {
            clock.MoveTo(DateTimeOffset.FromUnixTimeSeconds(at));
            await services.GetRequiredService<SetClock>().HandleAsync(demo, at, ct);
            var reported = cases.Skip(recorded).TakeWhile(c => c.ReportTime <= at).ToList();
            await using (var s = await StoreSession.BeginAsync(sim, ct))
            {
                await CaseRepository.UpsertAsync(s, reported, ct);
                await s.CommitAsync(ct);
            }
            recorded += reported.Count;
            traced = await services.GetRequiredService<Retrace>().HandleAsync(demo, policy, ct);
            System.Console.WriteLine($"  {sim.Calendar.Format(at)[..10]}     {recorded,3} case(s) reported: {Count(traced, Tracing.ContactTier.Close),6:N0} close, {Count(traced, Tracing.ContactTier.Secondary),6:N0} secondary contacts, {traced.Sync.Created:N0} new order(s) ({traced.Timing})");
            if (at < last)
            {
                loop.Add(await simulation.RunAsync(null, ct));
            }
        }
        var tracedIn = watch.Elapsed;
        System.Console.WriteLine($"""
                  traced         {Count(traced!, Tracing.ContactTier.Close):N0} close, {Count(traced!, Tracing.ContactTier.Secondary):N0} secondary contacts under {policy.Id} at {sim.Calendar.Format(sim.Now)} (the response so far: {loop})
                """);
        await PrintPerCaseAsync(sim, traced!.Trace.Data, ct);
        if (days > 0)
        {
            var tally = await simulation.RunAsync(null, ct, days);
            System.Console.WriteLine($"  simulated      {days} day(s) of the loop to {sim.Calendar.Format(sim.Now)}: {tally}");
            System.Console.WriteLine($"                 time by phase: {tally.Timing}");
            loop.Add(tally);
        }
        await PrintRoomsAsync(sim, loop.MovedHome, ct);
        System.Console.WriteLine($"  response built in {watch.Elapsed.TotalSeconds:F1} s (the outbreak traced in {tracedIn.TotalSeconds:F1} s); the store's clock is simulated ('fangkong --db … clock show').");
    }

    private static int Count(RetraceOutcome traced, Tracing.ContactTier tier) => traced.Trace.Findings.Count(f => f.Tier == tier);

    /// <summary>
    /// Each case's contacts, and the figures an epidemiologist checks first: everyone exposed to the case
    /// (the case traced alone: close contacts and their secondary contacts, cases left out), and how many
    /// the stored trace attributes to it (a contact belongs to the case that reached them first).
    /// </summary>
    /// <param name="data">What the last trace read, at the same time (nothing read twice).</param>
    private static async Task PrintPerCaseAsync(Database db, Storage.Tracing.TraceData data, CancellationToken ct)
    {
        var engine = data.Engine();
        var isCase = data.Cases.Select(k => k.Person).ToHashSet();
        var exposed = data.Cases.ToDictionary(k => data.PersonKeys[k.Person], k =>
        {
            var found = engine.Trace([k], close => data.ControlTime(close, db.Now)).Where(f => !isCase.Contains(f.Person)).ToList();
            return (Close: (long)found.Count(f => f.Tier == Tracing.ContactTier.Close), Secondary: (long)found.Count(f => f.Tier == Tracing.ContactTier.Secondary));
        });
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = (await Dapper.SqlMapper.QueryAsync<(string Key, string? Community, string Classification, long Report, long Close, long Secondary)>(c, new Dapper.CommandDefinition("""
            SELECT p.person_key, p.community_code, k.classification, k.report_time,
                   (SELECT COUNT(*) FROM contacts x WHERE x.index_person_id = k.person_id AND x.tier = 'close'),
                   (SELECT COUNT(*) FROM contacts x WHERE x.index_person_id = k.person_id AND x.tier = 'secondary')
            FROM cases k JOIN persons p ON p.id = k.person_id ORDER BY k.report_time
            """, cancellationToken: ct))).ToList();
        var perClose = (await Dapper.SqlMapper.QueryAsync<long>(c, new Dapper.CommandDefinition("""
            SELECT (SELECT COUNT(*) FROM contacts s WHERE s.via_person_id = x.person_id) FROM contacts x WHERE x.tier = 'close'
            """, cancellationToken: ct))).Order().ToList();
        if (rows.Count == 0)
        {
            return;
        }
        static double Median(IReadOnlyList<long> sorted) => sorted.Count == 0 ? 0 : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2.0;
        var close = exposed.Values.Select(e => e.Close).Order().ToList();
        var attributed = rows.Select(r => r.Close).Order().ToList();
        var closeTotal = rows.Sum(r => r.Close);
        var secondary = rows.Sum(r => r.Secondary);
        System.Console.WriteLine($"  per case       close contacts exposed to the case: median {Median(close):0.#}, quartiles {close[close.Count / 4]}–{close[close.Count * 3 / 4]}, range {close[0]}–{close[^1]}; " +
                                 $"attributed to it (reached first): median {Median(attributed):0.#}, {(double)closeTotal / rows.Count:0.0} on average");
        System.Console.WriteLine($"                 secondary contacts per close contact: {(closeTotal == 0 ? 0 : (double)secondary / closeTotal):0.0} on average, median {Median(perClose):0.#}");
        System.Console.WriteLine("                 case     county report       exposed: close secondary   attributed: close secondary");
        foreach (var r in rows)
        {
            var e = exposed.GetValueOrDefault(r.Key);
            System.Console.WriteLine($"                 {r.Key} {Jurisdictions.Scope.CountyOf(r.Community)} {db.Calendar.Format(r.Report)[5..10]} {(r.Classification == "confirmed" ? "确诊  " : "无症状")} {e.Close,6} {e.Secondary,9} {r.Close,17} {r.Secondary,9}");
        }
    }

    /// <summary>Rooms in use, free and in reserve: whether the sites cover the centralized contacts.</summary>
    private static async Task PrintRoomsAsync(Database db, int sentHome, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var (total, reserve, used, reserveUsed) = await Dapper.SqlMapper.QuerySingleAsync<(long Total, long Reserve, long Used, long ReserveUsed)>(c, new Dapper.CommandDefinition("""
            SELECT COUNT(*), COALESCE(SUM(reserve), 0), COALESCE(SUM(CASE WHEN occupants > 0 THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN reserve <> 0 AND occupants > 0 THEN 1 ELSE 0 END), 0)
            FROM site_rooms
            """, cancellationToken: ct));
        System.Console.WriteLine($"  rooms          {used:N0} of {total:N0} in use; reserve {reserve - reserveUsed:N0} of {reserve:N0} free; {sentHome:N0} contact(s) sent home for lack of a room");
    }

    private static int NingxiaReference() => Jurisdictions.NingxiaReference.All.Count;

    /// <summary>A demo file is rebuilt from scratch; a PostgreSQL store must be empty.</summary>
    private static async Task<Database> OpenEmptyAsync(StoreLocation location, CancellationToken ct)
    {
        if (location.FilePath is { } path)
        {
            // A new store starts a new audit log: its checkpoints go with the old one (the key stays).
            foreach (var f in new[] { path, path + "-wal", path + "-shm", path + ".audit-anchors" })
            {
                File.Delete(f);
            }
            foreach (var folder in Storage.Checkins.StayKind.All.Select(location.StayFolder))
            {
                if (Directory.Exists(folder))
                {
                    Directory.Delete(folder, recursive: true);
                }
            }
        }
        var db = await Database.OpenAsync(location, ct: ct);
        if (location.Provider == StoreProvider.Postgres && await PersonRepository.CountAsync(db, ct) > 0)
        {
            await db.DisposeAsync();
            throw new UsageException("the PostgreSQL store already holds people; the demo needs an empty database.");
        }
        return db;
    }

    private static async Task WriteAsync(Database db, DemoData data, CancellationToken ct)
    {
        await JurisdictionRepository.EnsureReferenceAsync(db, ct);
        await using (var s = await StoreSession.BeginAsync(db, ct))
        {
            await JurisdictionRepository.UpsertAsync(s, data.Divisions, ct);
            await PersonRepository.UpsertAsync(s, data.People, ct);
            await VenueRepository.UpsertAsync(s, data.Venues, ct);
            await ExposureRepository.AddAsync(s, data.Exposures, ct);
            await s.CommitAsync(ct);
        }
        var checkins = await CheckinStores.OpenAsync(db, ct);
        await checkins.AppendAsync(data.Checkins, ct);
    }
}
