using System.CommandLine;
using Fangkong.Files.Imports;
using Fangkong.Policies;
using Fangkong.Storage;

namespace Fangkong.Cli.Commands;

/// <summary>The <c>fangkong</c> command tree and the one place where errors become exit codes.</summary>
public static class CommandLine
{
    public static readonly Option<string?> Db = new("--db")
    {
        Description = "The store: a file path for the embedded SQLite store (default ./fangkong.db, or $FANGKONG_DB), " +
                      "or a PostgreSQL connection string 'Host=…;Database=…;Username=…;Password=…'.",
        Recursive = true,
    };

    public static readonly Option<string?> Now = new("--now")
    {
        Description = "Act as if the time were this, ISO 8601 with offset (e.g. 2021-10-23T08:00:00+08:00): runs the clock forward in a simulation " +
                      "or records an entry made on paper. Default: the store's simulated clock if set ('fangkong clock'), else the system clock.",
        Recursive = true,
    };

    public static readonly Option<string> Actor = new("--actor")
    {
        Description = "Who acts (a staff_key or a name), recorded with every step. Default: $FANGKONG_ACTOR, else 'operator'.",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("FANGKONG_ACTOR") is { Length: > 0 } a ? a : "operator",
    };

    public static RootCommand Build()
    {
        var root = new RootCommand("Fangkong (防控): outbreak-response command platform — contact tracing, control, testing and tasks for an epidemic headquarters (疫情防控指挥部).");
        root.Options.Add(Db);
        root.Options.Add(Now);
        root.Options.Add(Actor);
        root.Subcommands.Add(ImportCommand.Build());
        root.Subcommands.Add(ExportCommand.Build());
        root.Subcommands.Add(PersonCommand.Build());
        root.Subcommands.Add(CaseCommand.Build());
        root.Subcommands.Add(TraceCommand.Build());
        root.Subcommands.Add(ContactsCommand.Build());
        root.Subcommands.Add(ItineraryCommand.BuildItinerary());
        root.Subcommands.Add(ItineraryCommand.BuildNotice());
        root.Subcommands.Add(StaffCommand.Build());
        root.Subcommands.Add(ControlCommand.Build());
        root.Subcommands.Add(TestingCommand.Build());
        root.Subcommands.Add(SiteCommand.Build());
        root.Subcommands.Add(TaskCommand.Build());
        root.Subcommands.Add(AuditCommand.Build());
        root.Subcommands.Add(ScorecardCommand.Build());
        root.Subcommands.Add(ClockCommand.BuildClock());
        root.Subcommands.Add(ClockCommand.BuildSimulate());
        root.Subcommands.Add(PolicyCommand.Build());
        root.Subcommands.Add(DemoCommand.Build());
        root.Subcommands.Add(ServeCommand.Build());
        root.Subcommands.Add(AdminCommand.Build());
        root.Subcommands.Add(RetentionCommand.Build());
        root.Subcommands.Add(BenchCommand.Build());
        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        using var cancel = new CancellationTokenSource();
        System.Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        try
        {
            return await Build().Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }, cancel.Token);
        }
        catch (Exception e) when (Explain(e) is { } message)
        {
            await System.Console.Error.WriteLineAsync("error: " + message);
            return e is OperationCanceledException ? 130 : 2;
        }
    }

    /// <summary>The one-line message for an error a user can act on; null for a bug (which keeps its stack trace).</summary>
    public static string? Explain(Exception e) => e switch
    {
        StoreException or ImportRefusedException or PolicyLoadException or UsageException => e.Message,
        Fangkong.Control.RefusedException r => "refused: " + e.Message + (CliHints.For(r.Code) is { } hint ? $" ({hint}; nothing was changed)" : " (nothing was changed)"),
        OperationCanceledException => "cancelled; nothing was changed by the interrupted step.",
        AggregateException { InnerExceptions.Count: 1 } a => Explain(a.InnerException!),
        _ => null,
    };

    /// <summary>Opens the store named by --db (or $FANGKONG_DB, or ./fangkong.db).</summary>
    public static Task<Database> OpenStoreAsync(ParseResult parse, CancellationToken ct) =>
        Database.OpenAsync(StoreLocation.Parse(parse.GetValue(Db)), ClockOf(parse), ct: ct);

    /// <summary>The clock for this run: fixed at --now when given, else null (the store's simulated clock if set, else the system clock).</summary>
    public static TimeProvider? ClockOf(ParseResult parse)
    {
        if (parse.GetValue(Now) is not { } text)
        {
            return null;
        }
        return Time.IsoTime.TryParse(text, Time.DeploymentCalendar.Default, out var t) && Time.IsoTime.HasOffset(text)
            ? new Time.FixedClock(DateTimeOffset.FromUnixTimeSeconds(t))
            : throw new UsageException($"--now '{text}' is not an ISO 8601 time with an offset, such as 2021-10-23T08:00:00+08:00.");
    }
}

/// <summary>A command was used wrongly; the message says how to use it.</summary>
public sealed class UsageException(string message) : Exception(message);
