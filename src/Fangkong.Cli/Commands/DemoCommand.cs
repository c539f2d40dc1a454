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
        var venues = new Option<int>("--venues") { Description = "How many venues (default 3,000).", DefaultValueFactory = _ => 3_000 };
        var lastDay = new Option<string>("--today") { Description = "The demo's last day of data, YYYY-MM-DD (default 2021-10-22, the date of the seed report).", DefaultValueFactory = _ => "2021-10-22" };
        var noServe = new Option<bool>("--no-serve") { Description = "Stop after building the data instead of serving the command centre." };
        var simulateDays = new Option<int>("--simulate-days") { Description = "Days of the closed loop to run after tracing (0: stop at the trace; 'fangkong simulate' runs more later).", DefaultValueFactory = _ => 1 };
        var command = new Command("demo", $"Build a synthetic Ningxia (people, venues, 14 days of check-ins, an outbreak in progress) and serve it. Default store: ./{DefaultFile}.")
        {
            seed, people, venues, lastDay, noServe, simulateDays, ServeCommand.Urls, ControlCommand.Policy,
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
            var location = StoreLocation.Parse(parse.GetValue(CommandLine.Db) ?? Environment.GetEnvironmentVariable(StoreLocation.EnvironmentVariable) ?? DefaultFile);
            await using var db = await OpenEmptyAsync(location, ct);
            var options = new DemoOptions(parse.GetValue(seed), parse.GetValue(people), Math.Max(parse.GetValue(venues), 100), 14, today);
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
                  exposures      {data.Exposures.Count:N0} (household and workplace)
                  cases          {data.Cases.Count:N0} ({data.Cases.Count(c => c.OnsetDate is null):N0} asymptomatic), reported up to {today:yyyy-MM-dd}
                """);
            if (parse.GetValue(simulateDays) is < 0 or > 60)
            {
                throw new UsageException("--simulate-days must be between 0 and 60.");
            }
            await RespondAsync(db, PolicyCommand.Load(parse), data, today, parse.GetValue(seed), parse.GetValue(simulateDays), await ControlCommand.PolicyOfAsync(parse, db, ct), ct);
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
    /// The response: staff and quarantine sites, then — on the store's simulated clock, set to the
    /// afternoon of the demo's last day — the trace that gives everyone classified an order, and the
    /// closed loop run forward for --simulate-days.
    /// </summary>
    private static async Task RespondAsync(Database db, Policies.PolicyCatalog catalog, DemoData data, DateOnly today, int seed, int days, Policies.PolicyProfile policy, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var (staff, sites, rooms) = await DemoResponders.AddAsync(db, data, seed, ct);
        var start = db.Calendar.StartOfDay(today) + 16 * 3600;
        var clock = new Time.ManualClock(DateTimeOffset.FromUnixTimeSeconds(start));
        await using var sim = await Database.OpenAsync(db.Location, clock, ct: ct);
        await using var services = new ServiceCollection().AddFangkong(sim, catalog).BuildServiceProvider();
        var demo = Actor.System("demo") with { Source = "simulate" };
        await services.GetRequiredService<AuditSink>().RecordAsync(demo, "demo.build", "store",
            $"synthetic region: {data.People.Count} people, {data.Venues.Count} venues, {data.Cases.Count} cases; {staff} staff, {sites} sites with {rooms} rooms (seed {seed})");
        await services.GetRequiredService<SetClock>().HandleAsync(demo, start, ct);
        var first = await services.GetRequiredService<Retrace>().HandleAsync(demo, policy, ct);
        var (traced, orders) = (first.Trace, first.Sync);
        var tracedIn = watch.Elapsed;
        System.Console.WriteLine($"""
                  staff          {staff:N0} (commanders, investigators, control and testing officers per county, a community worker per community)
                  sites          {sites} quarantine sites with {rooms:N0} rooms
                  traced         {traced.Findings.Count(f => f.Tier == Tracing.ContactTier.Close):N0} close, {traced.Findings.Count(f => f.Tier == Tracing.ContactTier.Secondary):N0} secondary contacts under {policy.Id} at {sim.Calendar.Format(sim.Now)}
                  orders         {orders.Created:N0} control orders with their tests, monitors and first tasks (traced and ordered in {tracedIn.TotalSeconds:F1} s)
                """);
        if (days > 0)
        {
            var tally = await new LoopSimulation(services, clock, policy, new SimulationOptions(days, 7)).RunAsync(null, ct);
            System.Console.WriteLine($"  simulated      {days} day(s) of the loop to {sim.Calendar.Format(sim.Now)}: {tally}");
            System.Console.WriteLine($"                 time by phase: {tally.Timing}");
        }
        System.Console.WriteLine($"  response built in {watch.Elapsed.TotalSeconds:F1} s; the store's clock is simulated ('fangkong --db … clock show').");
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
            await CaseRepository.UpsertAsync(s, data.Cases, ct);
            await s.CommitAsync(ct);
        }
        var checkins = await CheckinStores.OpenAsync(db, ct);
        await checkins.AppendAsync(data.Checkins, ct);
    }
}
