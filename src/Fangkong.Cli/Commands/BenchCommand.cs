using System.CommandLine;
using System.Globalization;
using Fangkong.Cli.Bench;
using Fangkong.Storage;
using Npgsql;

namespace Fangkong.Cli.Commands;

internal static class BenchCommand
{
    public static Command Build()
    {
        var command = new Command("bench", "Benchmarks against named baselines, side by side in one run (results go to docs/benchmarks.md by hand).");
        command.Subcommands.Add(Import());
        command.Subcommands.Add(Tracing());
        command.Subcommands.Add(Control());
        command.Subcommands.Add(Web());
        command.Subcommands.Add(Contract());
        command.Subcommands.Add(Confirm());
        return command;
    }

    private static Command Contract()
    {
        var dir = new Option<DirectoryInfo>("--dir") { Description = "Where the data set, the stores and the answers go (default ./bench-contract).", DefaultValueFactory = _ => new DirectoryInfo("bench-contract") };
        var people = new Option<int>("--people") { Description = "People in the data set.", DefaultValueFactory = _ => 200_000 };
        var venues = new Option<int>("--venues") { Description = "Venues in the data set.", DefaultValueFactory = _ => 4_000 };
        var cases = new Option<int>("--cases") { Description = "Confirmed cases in the data set.", DefaultValueFactory = _ => 60 };
        var runs = new Option<int>("--runs") { Description = "Runs of the trace on the embedded store (each on a fresh copy of the imported store).", DefaultValueFactory = _ => 3 };
        var postgres = new Option<string?>("--postgres") { Description = "A PostgreSQL server's connection string: also import and trace on PostgreSQL (a scratch database is created and dropped)." };
        var keep = new Option<bool>("--keep") { Description = "Keep the PostgreSQL scratch database for inspection (its name is printed)." };
        var policy = new Option<string>("--policy") { Description = "Policy profile whose rules both answers follow.", DefaultValueFactory = _ => "cn-v8-2021" };
        var duckOnly = new Option<bool>("--duckdb-only") { Description = "Answer with DuckDB only and compare with the contacts.csv of an earlier run in --dir." };
        var bucket = new Option<int>("--duckdb-bucket") { Description = "Seconds of the time buckets of DuckDB's venue joins (measured best on the default set: 14400).", DefaultValueFactory = _ => 14400 };
        var command = new Command("contract", "The batch tracing contract end to end (SPEC 4.2): the imports and 'trace' as a user runs them, each its own process, against DuckDB answering the same contract from the same files; the answers compared row by row.")
        {
            dir, people, venues, cases, runs, postgres, keep, policy, duckOnly, bucket,
        };
        command.SetAction(async (parse, ct) =>
        {
            var folder = parse.GetValue(dir)!.FullName;
            var policyId = parse.GetValue(policy)!;
            var profile = PolicyCommand.Load(parse).Get(policyId);
            var data = new ContractDataset(parse.GetValue(people), parse.GetValue(venues), 14, parse.GetValue(cases), 1);
            System.Console.WriteLine($"data set in {folder} …");
            var rows = data.Write(folder);
            System.Console.WriteLine(string.Join(", ", rows.Select(kv => $"{kv.Value:N0} {kv.Key}")));
            var results = new List<ContractStoreResult>();
            if (!parse.GetValue(duckOnly))
            {
                System.Console.WriteLine("embedded store:");
                results.Add(await ContractBenchmark.EmbeddedAsync(folder, profile.Id, Math.Max(1, parse.GetValue(runs)), ct));
            }
            if (parse.GetValue(postgres) is { } server && !parse.GetValue(duckOnly))
            {
                System.Console.WriteLine("PostgreSQL:");
                results.Add(await OnScratchDatabaseAsync(server, parse.GetValue(keep), location => ContractBenchmark.PostgresAsync(location.ConnectionString, folder, profile.Id, ct), ct));
            }
            System.Console.WriteLine("DuckDB:");
            Time.IsoTime.TryParse(ContractDataset.AsOf, Time.DeploymentCalendar.Default, out var asOf);
            var duck = ContractBaseline.Run(folder, profile.Tracing.WindowDaysBefore, profile.Tracing.MinimumOverlapMinutes.Default * 60L, asOf, Math.Max(60, parse.GetValue(bucket)),
                Path.Combine(folder, "contacts-duckdb.csv"), Path.Combine(folder, "contacts.csv"));
            System.Console.WriteLine($"  loaded the files in {duck.Load.TotalSeconds:F2} s, answered in {duck.Answer.TotalSeconds:F2} s: {duck.Close:N0} close, {duck.Secondary:N0} secondary");
            var check = duck.Check;
            System.Console.WriteLine(check.Identical
                ? $"  Fangkong's {check.Rows:N0} rows agree with DuckDB's answer row by row"
                : $"  ANSWERS DIFFER: {check.Missing:N0} missing, {check.Extra:N0} extra, {check.WrongStart:N0} with another start, {check.NotQualifying:N0} not a qualifying overlap (of {check.Rows:N0} rows)");
            var same = check.Identical;
            var postgresFile = Path.Combine(folder, "contacts-postgres.csv");
            if (results.Any(r => r.Store == "PostgreSQL"))
            {
                // The same answer from PostgreSQL: the same lines (each file is in person order within tier; compared as sets of lines).
                var fromPostgres = File.ReadAllLines(postgresFile).Order(StringComparer.Ordinal);
                var embedded = File.ReadAllLines(Path.Combine(folder, "contacts.csv")).Order(StringComparer.Ordinal);
                var equal = fromPostgres.SequenceEqual(embedded, StringComparer.Ordinal);
                System.Console.WriteLine(equal ? "  PostgreSQL's file has the same rows as the embedded store's" : "  POSTGRESQL'S FILE DIFFERS from the embedded store's");
                same &= equal;
            }
            System.Console.WriteLine();
            System.Console.WriteLine("| store | persons rows/s | venues s | check-ins rows/s | exposures rows/s | cases s | trace s (process) |");
            System.Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
            foreach (var r in results)
            {
                string Rate(string kind) => r.Imports.First(i => i.Kind == kind) is var i ? $"{i.Rows / i.Run.Wall.TotalSeconds:N0} ({i.Run.Wall.TotalSeconds:F2} s)" : "";
                string Wall(string kind) => r.Imports.First(i => i.Kind == kind).Run.Wall.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture);
                System.Console.WriteLine($"| {r.Store} | {Rate("persons")} | {Wall("venues")} | {Rate("checkins")} | {Rate("exposures")} | {Wall("cases")} | {string.Join(", ", r.Traces.Select(t => t.Wall.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture)))} |");
            }
            System.Console.WriteLine($"| DuckDB (in memory) | | | | | | load {duck.Load.TotalSeconds:F2} + answer {duck.Answer.TotalSeconds:F2} |");
            return same ? 0 : 1;
        });
        return command;
    }

    private static readonly Option<double> Zipf = new("--zipf")
    {
        Description = "Exponent s of the venues' popularity (weight 1/rank^s): 0.5 by default; 0.9 for a stress set where one venue takes 5 % of all stays.",
        DefaultValueFactory = _ => StandardDataset.DefaultZipf,
    };

    private static Command Confirm()
    {
        var cases = new Option<int>("--cases") { Description = "People seen on the last day to confirm as cases, one after another.", DefaultValueFactory = _ => 10 };
        var seed = new Option<int>("--seed") { Description = "Seed of the choice of people.", DefaultValueFactory = _ => 1 };
        var command = new Command("confirm", "Confirming cases in the browser with the server's index in memory: the form, the case page listing the contacts and the API, against the same case traced with the days read from the store and the full re-trace behind. Changes the store: run it on a copy of a demo store ('fangkong demo --no-serve', then --db).")
        {
            cases, seed, ControlCommand.Policy,
        };
        command.SetAction(async (parse, ct) =>
        {
            await using var db = await CommandLine.OpenStoreAsync(parse, ct);
            var r = await ConfirmBenchmark.RunAsync(db, await ControlCommand.PolicyOfAsync(parse, db, ct), Math.Clamp(parse.GetValue(cases), 1, 1000), parse.GetValue(seed), ct);
            static string Median(IEnumerable<double> values) => values.Order().ToArray() is var v ? v[v.Length / 2].ToString("F0", CultureInfo.InvariantCulture) : "";
            static string Max(IEnumerable<double> values) => values.Max().ToString("F0", CultureInfo.InvariantCulture);
            System.Console.WriteLine();
            System.Console.WriteLine("| check-ins in memory | read into memory s | heap MB | confirmations | form ms (median, max) | case page ms (median, max) | API ms (median, max) | close per case (median) | same case, days from the store s | full re-trace behind s |");
            System.Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            System.Console.WriteLine($"| {r.Checkins:N0} | {r.WarmSeconds:F1} | {r.IndexMegabytes:N0} | {r.Cases.Count} | {Median(r.Cases.Select(c => c.PostMs))}, {Max(r.Cases.Select(c => c.PostMs))} | " +
                                     $"{Median(r.Cases.Select(c => c.PageMs))}, {Max(r.Cases.Select(c => c.PageMs))} | {Median(r.Cases.Select(c => c.ApiMs))}, {Max(r.Cases.Select(c => c.ApiMs))} | " +
                                     $"{Median(r.Cases.Select(c => (double)c.Close))} | {r.FromStoreSeconds:F1} | {r.BehindSeconds:F1} |");
            return r.CloseAgree ? 0 : 1;
        });
        return command;
    }

    private static Command Web()
    {
        var users = new Option<int>("--users") { Description = "Concurrent users (each signed in with its own session) and API clients.", DefaultValueFactory = _ => 50 };
        var seconds = new Option<int>("--seconds") { Description = "Measured seconds per scenario (after a 2 s warm-up).", DefaultValueFactory = _ => 15 };
        var command = new Command("web", "Load on the command centre from 127.0.0.1: a static file (baseline), the dashboard and list pages under N signed-in users, API reads with a token. Run it on a demo store ('fangkong demo --no-serve', then --db).")
        {
            users, seconds, ControlCommand.Policy,
        };
        command.SetAction(async (parse, ct) =>
        {
            await using var db = await CommandLine.OpenStoreAsync(parse, ct);
            var results = await WebBenchmark.RunAsync(db, await ControlCommand.PolicyOfAsync(parse, db, ct), Math.Clamp(parse.GetValue(users), 1, 1000), TimeSpan.FromSeconds(Math.Clamp(parse.GetValue(seconds), 1, 600)), ct);
            System.Console.WriteLine();
            System.Console.WriteLine("| scenario | users | requests/s | p50 ms | p95 ms | p99 ms | server p95 ms | errors |");
            System.Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var r in results)
            {
                System.Console.WriteLine($"| {r.Scenario} | {r.Users} | {r.PerSecond:N0} | {r.P50:F1} | {r.P95:F1} | {r.P99:F1} | {r.ServerP95:F1} | {r.Errors} |");
            }
            return 0;
        });
        return command;
    }

    private static Command Control()
    {
        var dir = new Option<DirectoryInfo>("--dir") { Description = "Where the embedded store goes (default ./bench-data).", DefaultValueFactory = _ => new DirectoryInfo("bench-data") };
        var close = new Option<int>("--close") { Description = "Close contacts of the outbreak.", DefaultValueFactory = _ => 10_000 };
        var secondary = new Option<int>("--secondary") { Description = "Secondary contacts of the outbreak.", DefaultValueFactory = _ => 100_000 };
        var open = new Option<int>("--open-orders") { Description = "Open orders for the audit measurement.", DefaultValueFactory = _ => 1_000_000 };
        var runs = new Option<int>("--runs") { Description = "Runs of the audit; the table gives the median.", DefaultValueFactory = _ => 5 };
        var postgres = new Option<string?>("--postgres") { Description = "A PostgreSQL server's connection string: also measure on PostgreSQL (a scratch database is created and dropped)." };
        var keep = new Option<bool>("--keep") { Description = "Keep the PostgreSQL scratch database for inspection (its name is printed)." };
        var command = new Command("control", "Creating orders and first tasks for an outbreak's contacts, and the 'who is missing' audit over a million open orders, on the embedded store and on PostgreSQL.")
        {
            dir, close, secondary, open, runs, postgres, keep,
        };
        command.SetAction(async (parse, ct) =>
        {
            var folder = parse.GetValue(dir)!.FullName;
            Directory.CreateDirectory(folder);
            var store = Path.Combine(folder, "control.db");
            BenchStore.Reset(store);
            var results = new List<ControlMeasurement>
            {
                await ControlBenchmark.RunAsync("embedded (SQLite)", StoreLocation.Parse(store), parse.GetValue(close), parse.GetValue(secondary), parse.GetValue(open), parse.GetValue(runs), ct),
            };
            if (parse.GetValue(postgres) is { } server)
            {
                results.Add(await OnScratchDatabaseAsync(server, parse.GetValue(keep),
                    location => ControlBenchmark.RunAsync("PostgreSQL", location, parse.GetValue(close), parse.GetValue(secondary), parse.GetValue(open), parse.GetValue(runs), ct), ct));
            }
            System.Console.WriteLine();
            System.Console.WriteLine("| store | contacts | orders + first tasks, s | open orders | audit ms (median [min–max]) | gaps found |");
            System.Console.WriteLine("|---|---:|---:|---:|---:|---:|");
            foreach (var r in results)
            {
                System.Console.WriteLine($"| {r.Store} | {r.Contacts:N0} | {r.Create.TotalSeconds:F1} | {r.OpenOrders:N0} (created in {r.CreateLarge.TotalSeconds:F0} s) | {Stat(r.AuditMs)} | {r.AuditRows:N0} |");
            }
            return 0;
        });
        return command;
    }

    private static Command Tracing()
    {
        var dir = new Option<DirectoryInfo>("--dir") { Description = "Where the data set and the store go (default ./bench-data; shared with 'bench import').", DefaultValueFactory = _ => new DirectoryInfo("bench-data") };
        var people = new Option<int>("--people") { Description = "People in the standard data set.", DefaultValueFactory = _ => 1_000_000 };
        var venues = new Option<int>("--venues") { Description = "Venues in the standard data set.", DefaultValueFactory = _ => 50_000 };
        var runs = new Option<int>("--runs") { Description = "Runs of each query on DuckDB; the table gives median, min and max.", DefaultValueFactory = _ => 5 };
        var ourRuns = new Option<int>("--fangkong-runs") { Description = "Runs of each query on Fangkong's engine (milliseconds each, so more runs steady the median).", DefaultValueFactory = _ => 21 };
        var noDuck = new Option<bool>("--no-duckdb") { Description = "Measure Fangkong's engine only (no comparison, no check of the answers)." };
        var command = new Command("tracing", "Q1 close contacts of 100 people, Q2 their contacts, Q3 co-present pairs of a day: Fangkong's engine against DuckDB on the same check-ins.")
        {
            dir, people, venues, runs, ourRuns, Zipf, noDuck,
        };
        command.SetAction(async (parse, ct) =>
        {
            var folder = parse.GetValue(dir)!.FullName;
            var data = new StandardDataset(parse.GetValue(people), parse.GetValue(venues), 14, 1, parse.GetValue(Zipf));
            var rows = data.Write(folder);
            var store = Path.Combine(folder, "fangkong.db");
            if (await StoredRowsAsync(store, ct) != rows)
            {
                // A store of another data set (or none): import this one.
                BenchStore.Reset(store);
                System.Console.WriteLine("importing the data set into the embedded store …");
                await ImportBenchmark.FangkongAsync("embedded", StoreLocation.Parse(store), data, folder, ct);
            }
            await using var db = await Database.OpenAsync(StoreLocation.Parse(store), ct: ct);
            var checkins = await Storage.Checkins.CheckinStores.OpenAsync(db, ct);
            var all = await checkins.ListDaysAsync(ct);
            {
                // Index readiness: every stored day read from the store and indexed, as a trace process does at start.
                var ready = System.Diagnostics.Stopwatch.StartNew();
                var days = new List<Storage.Checkins.CheckinDay>();
                foreach (var d in all)
                {
                    days.Add(await checkins.ReadDayAsync(d.Day, ct));
                }
                var whole = Storage.Tracing.TraceData.IndexOf(days);
                System.Console.WriteLine($"index of all {all.Count} days ({whole.Count:N0} check-ins) ready from the store in {ready.Elapsed.TotalSeconds:F1} s, {whole.BytesPerCheckin:F1} bytes per check-in");
                // Keeping it current: check-ins arriving in batches (most on the last day, some late for earlier days).
                foreach (var batch in (int[])[1_000, 10_000, 100_000])
                {
                    var a = TracingBenchmark.Appends(whole, 2_000_000, batch, 11);
                    System.Console.WriteLine($"appended {a.Rows:N0} check-ins in batches of {batch:N0}: {a.Seconds:F2} s = {a.Rows / a.Seconds:N0} a second (no rebuild)");
                }
            }
            GC.Collect();
            var lastFour = new List<Storage.Checkins.CheckinDay>();
            foreach (var d in all.TakeLast(4))
            {
                lastFour.Add(await checkins.ReadDayAsync(d.Day, ct));
            }
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var fourDays = Storage.Tracing.TraceData.IndexOf(lastFour);
            var lastDay = Storage.Tracing.TraceData.IndexOf([lastFour[^1]]);
            System.Console.WriteLine($"{fourDays.Count:N0} check-ins over the last 4 days; index built in {clock.Elapsed.TotalSeconds:F1} s");
            var indexPeople = TracingBenchmark.PickIndexPeople(fourDays, 100, 7);
            var n = parse.GetValue(runs);
            var ours = TracingBenchmark.Fangkong(fourDays, lastDay, indexPeople, Math.Max(1, parse.GetValue(ourRuns)));
            System.Console.WriteLine($"Fangkong: {ours.Answers.Close.Length:N0} close, {ours.Answers.Secondary.Length:N0} secondary, {ours.Answers.Pairs:N0} pairs; " +
                                     $"Q1 {Stat(ours.Q1Ms)} ms, Q2 {Stat(ours.Q2Ms)} ms, Q3 {Stat(ours.Q3Ms)} ms, {ours.BytesPerCheckin:F1} bytes per check-in");
            var measured = new List<TracingMeasurement> { ours };
            var same = true;
            if (!parse.GetValue(noDuck))
            {
                var duck = TracingBenchmark.DuckDb(lastFour, lastFour[^1].Day, indexPeople, n);
                measured.Add(duck);
                System.Console.WriteLine($"DuckDB:   {duck.Answers.Close.Length:N0} close, {duck.Answers.Secondary.Length:N0} secondary, {duck.Answers.Pairs:N0} pairs");
                same = ours.Answers.Close.SequenceEqual(duck.Answers.Close) && ours.Answers.Secondary.SequenceEqual(duck.Answers.Secondary) && ours.Answers.Pairs == duck.Answers.Pairs;
                System.Console.WriteLine(same ? "answers identical" : "ANSWERS DIFFER");
            }
            System.Console.WriteLine();
            System.Console.WriteLine("| engine | Q1 ms (median [min–max]) | Q2 ms | Q3 ms | bytes per check-in |");
            System.Console.WriteLine("|---|---:|---:|---:|---:|");
            foreach (var m in measured)
            {
                System.Console.WriteLine($"| {m.Engine} | {Stat(m.Q1Ms)} | {Stat(m.Q2Ms)} | {Stat(m.Q3Ms)} | {m.BytesPerCheckin:F1} |");
            }
            return same ? 0 : 1;
        });
        return command;
    }

    private static string Stat(double[] ms)
    {
        var sorted = ms.Order().ToArray();
        static string Ms(double v) => v >= 100 ? v.ToString("N0", CultureInfo.InvariantCulture) : v.ToString("G3", CultureInfo.InvariantCulture);
        return $"{Ms(sorted[sorted.Length / 2])} [{Ms(sorted[0])}–{Ms(sorted[^1])}]";
    }

    private static Command Import()
    {
        var dir = new Option<DirectoryInfo>("--dir") { Description = "Where the data set and the stores go (default ./bench-data).", DefaultValueFactory = _ => new DirectoryInfo("bench-data") };
        var people = new Option<int>("--people") { Description = "People in the standard data set.", DefaultValueFactory = _ => 1_000_000 };
        var venues = new Option<int>("--venues") { Description = "Venues in the standard data set.", DefaultValueFactory = _ => 50_000 };
        var days = new Option<int>("--days") { Description = "Days of check-ins.", DefaultValueFactory = _ => 14 };
        var postgres = new Option<string?>("--postgres") { Description = "A PostgreSQL server's connection string: also measure Fangkong's PostgreSQL import (a scratch database is created and dropped)." };
        var baseline = new Option<bool>("--baseline") { Description = "Also measure the plain-SQLite-table baseline (slow: minutes at full size)." };
        var command = new Command("import", "Check-in import speed and size: Fangkong's embedded store, Fangkong on PostgreSQL, and a plain SQLite table.")
        {
            dir, people, venues, days, postgres, baseline, Zipf,
        };
        command.SetAction(async (parse, ct) =>
        {
            var folder = parse.GetValue(dir)!.FullName;
            var data = new StandardDataset(parse.GetValue(people), parse.GetValue(venues), parse.GetValue(days), 1, parse.GetValue(Zipf));
            System.Console.WriteLine($"data set in {folder} …");
            var rows = data.Write(folder);
            System.Console.WriteLine($"{rows:N0} check-ins ({new FileInfo(StandardDataset.CheckinsFile(folder)).Length / 1e6:N0} MB of CSV)");
            var results = new List<ImportMeasurement>();
            var store = Path.Combine(folder, "fangkong.db");
            BenchStore.Reset(store);
            results.Add(await ImportBenchmark.FangkongAsync("Fangkong embedded (day segments)", StoreLocation.Parse(store), data, folder, ct));
            Print(results[^1]);
            if (parse.GetValue(postgres) is { } server)
            {
                results.Add(await OnScratchDatabaseAsync(server, false,
                    location => ImportBenchmark.FangkongAsync("Fangkong on PostgreSQL (COPY, day partitions)", location, data, folder, ct), ct));
                Print(results[^1]);
            }
            if (parse.GetValue(baseline))
            {
                results.Add(await ImportBenchmark.PlainSqliteAsync(Path.Combine(folder, "plain.db"), data, folder, ct));
                Print(results[^1]);
            }
            System.Console.WriteLine();
            System.Console.WriteLine("| store | rows | seconds | rows/s | bytes per check-in |");
            System.Console.WriteLine("|---|---:|---:|---:|---:|");
            foreach (var r in results)
            {
                System.Console.WriteLine($"| {r.Name} | {r.Rows:N0} | {r.Elapsed.TotalSeconds:F1} | {r.RowsPerSecond:N0} | {r.BytesPerRow:F1} |");
            }
            return 0;
        });
        return command;
    }

    private static void Print(ImportMeasurement r) =>
        System.Console.WriteLine($"{r.Name}: {r.Rows:N0} rows in {r.Elapsed.TotalSeconds:F1} s = {r.RowsPerSecond:N0} rows/s, {r.BytesPerRow:F1} bytes per check-in");

    private static async Task<long> StoredRowsAsync(string store, CancellationToken ct)
    {
        if (!File.Exists(store))
        {
            return -1;
        }
        await using var db = await Database.OpenAsync(StoreLocation.Parse(store), ct: ct);
        var checkins = await Storage.Checkins.CheckinStores.OpenAsync(db, ct);
        return (await checkins.ListDaysAsync(ct)).Sum(d => d.Rows);
    }

    /// <summary>Runs a measurement on a scratch database created on <paramref name="server"/>, dropped afterwards unless kept.</summary>
    private static async Task<T> OnScratchDatabaseAsync<T>(string server, bool keep, Func<StoreLocation, Task<T>> measure, CancellationToken ct)
    {
        var name = "fk_bench_" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        await Admin(server, $"CREATE DATABASE {name}", ct);
        try
        {
            return await measure(StoreLocation.Parse(new NpgsqlConnectionStringBuilder(server) { Database = name, CommandTimeout = 0 }.ConnectionString));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            if (keep)
            {
                System.Console.WriteLine($"kept the scratch database {name}");
            }
            else
            {
                await DropDatabaseAsync(server, name, ct);
            }
        }
    }

    /// <summary>
    /// Drops a scratch database; an autovacuum worker (which FORCE cannot end for a non-superuser) may
    /// hold it for a while. If it is still held after half a minute the measurements stand and the
    /// database is named for dropping by hand.
    /// </summary>
    private static async Task DropDatabaseAsync(string server, string name, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await Admin(server, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)", ct);
                return;
            }
            catch (PostgresException) when (attempt < 30)
            {
                await Task.Delay(1000, ct);
            }
            catch (PostgresException e)
            {
                await System.Console.Error.WriteLineAsync($"warning: the scratch database {name} could not be dropped ({e.MessageText}); drop it by hand.");
                return;
            }
        }
    }

    private static async Task Admin(string server, string sql, CancellationToken ct)
    {
        await using var c = new NpgsqlConnection(server);
        await c.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand(sql, c);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
