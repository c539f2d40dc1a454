using System.CommandLine;
using System.Globalization;
using Fangkong.Application;
using Fangkong.Application.Time;
using Fangkong.Cli.Demo;
using Fangkong.Storage;
using Fangkong.Time;
using Microsoft.Extensions.DependencyInjection;

namespace Fangkong.Cli.Commands;

/// <summary><c>fangkong clock</c> and <c>fangkong simulate</c>: the store's simulated time, and running the loop forward in it.</summary>
internal static class ClockCommand
{
    public static Command BuildClock()
    {
        var command = new Command("clock", "The store's simulated clock: while set, every command on the store runs at that time (unless given --now).");
        var show = new Command("show", "Show the store's time and whether it is simulated.");
        show.SetAction(async (parse, ct) =>
        {
            await using var db = await CommandLine.OpenStoreAsync(parse, ct);
            System.Console.WriteLine($"{db.Calendar.Format(db.Now)} ({(db.Simulated ? "simulated; 'fangkong clock clear' returns to real time" : "real time")})");
            return 0;
        });
        var time = new Argument<string>("time") { Description = "ISO 8601 with offset, e.g. 2021-10-22T08:00:00+08:00." };
        var set = new Command("set", "Set the simulated time.") { time };
        set.SetAction(async (parse, ct) =>
        {
            var text = parse.GetValue(time)!;
            if (!IsoTime.TryParse(text, DeploymentCalendar.Default, out var t) || !IsoTime.HasOffset(text))
            {
                throw new UsageException($"'{text}' is not an ISO 8601 time with an offset, such as 2021-10-22T08:00:00+08:00.");
            }
            await using var app = await CliApp.OpenAsync(parse, ct);
            await app.Get<SetClock>().HandleAsync(app.Actor, t, ct);
            System.Console.WriteLine($"simulated clock set to {app.Db.Calendar.Format(t)}");
            return 0;
        });
        var by = new Argument<string>("duration") { Description = "How far: a number with d (days), h (hours) or m (minutes), e.g. 1d, 6h, 30m." };
        var advance = new Command("advance", "Move the simulated time forward (nothing else happens; 'fangkong simulate' runs the loop as time passes).") { by };
        advance.SetAction(async (parse, ct) =>
        {
            var seconds = Duration(parse.GetValue(by)!);
            await using var app = await CliApp.OpenAsync(parse, ct);
            var db = app.Db;
            if (!db.Simulated)
            {
                throw new UsageException("the store follows real time; set a simulated time first with 'fangkong clock set'.");
            }
            await app.Get<SetClock>().HandleAsync(app.Actor, db.Now + seconds, ct);
            System.Console.WriteLine($"simulated clock at {db.Calendar.Format(db.Now + seconds)}");
            return 0;
        });
        var clear = new Command("clear", "Return the store to real time.");
        clear.SetAction(async (parse, ct) =>
        {
            await using var app = await CliApp.OpenAsync(parse, ct);
            await app.Get<SetClock>().HandleAsync(app.Actor, null, ct);
            System.Console.WriteLine("the store follows real time");
            return 0;
        });
        command.Subcommands.Add(show);
        command.Subcommands.Add(set);
        command.Subcommands.Add(advance);
        command.Subcommands.Add(clear);
        return command;
    }

    public static Command BuildSimulate()
    {
        var days = new Option<int>("--days") { Description = "Days to run forward.", DefaultValueFactory = _ => 1 };
        var seed = new Option<int>("--seed") { Description = "Seed of the simulated responders' choices.", DefaultValueFactory = _ => 7 };
        var notify = new Option<int>("--notify-capacity") { Description = "Notifications a county makes a day.", DefaultValueFactory = _ => 800 };
        var transfer = new Option<int>("--transfer-capacity") { Description = "People a county transfers to sites a day.", DefaultValueFactory = _ => 400 };
        var positive = new Option<double>("--positive-rate") { Description = "Share of samples that come back positive (each converts a person to a case and traces them).", DefaultValueFactory = _ => 0 };
        var command = new Command("simulate", "Run the closed loop forward in the store's simulated time, day by day, through the officers' own actions: notify, place and transfer, hand over, sample, check, release; the clock's rules make tasks and escalate the overdue ones.")
            { days, seed, notify, transfer, positive };
        command.Options.Add(ControlCommand.Policy);
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(days) is < 1 or > 60)
            {
                throw new UsageException("--days must be between 1 and 60.");
            }
            if (parse.GetValue(positive) is < 0 or > 1)
            {
                throw new UsageException("--positive-rate must be between 0 and 1.");
            }
            var options = new SimulationOptions(parse.GetValue(days), parse.GetValue(seed), parse.GetValue(notify), parse.GetValue(transfer), PositiveRate: parse.GetValue(positive));
            var tally = await RunAsync(parse, options, ct);
            System.Console.WriteLine($"simulated {options.Days} day(s): {tally}");
            System.Console.WriteLine($"time by phase: {tally.Timing}");
            return 0;
        });
        return command;
    }

    /// <summary>Opens the store on a clock the simulation moves, runs it, and keeps the time it reached.</summary>
    internal static async Task<SimulationTally> RunAsync(ParseResult parse, SimulationOptions options, CancellationToken ct)
    {
        long start;
        await using (var probe = await CommandLine.OpenStoreAsync(parse, ct))
        {
            if (!probe.Simulated && parse.GetValue(CommandLine.Now) is null)
            {
                throw new UsageException("simulate runs in the store's simulated time: set it first with 'fangkong clock set TIME' (or give --now).");
            }
            start = probe.Now;
        }
        var clock = new ManualClock(DateTimeOffset.FromUnixTimeSeconds(start));
        await using var db = await Database.OpenAsync(StoreLocation.Parse(parse.GetValue(CommandLine.Db)), clock, ct: ct);
        await using var services = new ServiceCollection().AddFangkong(db, PolicyCommand.Load(parse)).BuildServiceProvider();
        var tally = await new LoopSimulation(services, clock, await ControlCommand.PolicyOfAsync(parse, db, ct), options).RunAsync(System.Console.WriteLine, ct);
        return tally;
    }

    private static long Duration(string text)
    {
        if (text.Length >= 2 && long.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0)
        {
            switch (text[^1])
            {
                case 'd':
                    return n * 86400;
                case 'h':
                    return n * 3600;
                case 'm':
                    return n * 60;
            }
        }
        throw new UsageException($"'{text}' is not a duration such as 1d, 6h or 30m.");
    }
}
