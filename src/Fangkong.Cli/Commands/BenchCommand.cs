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
        return command;
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
            dir, people, venues, days, postgres, baseline,
        };
        command.SetAction(async (parse, ct) =>
        {
            var folder = parse.GetValue(dir)!.FullName;
            var data = new StandardDataset(parse.GetValue(people), parse.GetValue(venues), parse.GetValue(days), 1);
            System.Console.WriteLine($"data set in {folder} …");
            var rows = data.Write(folder);
            System.Console.WriteLine($"{rows:N0} check-ins ({new FileInfo(StandardDataset.CheckinsFile(folder)).Length / 1e6:N0} MB of CSV)");
            var results = new List<ImportMeasurement>();
            var store = Path.Combine(folder, "fangkong.db");
            Reset(store);
            results.Add(await ImportBenchmark.FangkongAsync("Fangkong embedded (day segments)", StoreLocation.Parse(store), data, folder, ct));
            Print(results[^1]);
            if (parse.GetValue(postgres) is { } server)
            {
                var name = "fk_bench_" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
                await Admin(server, $"CREATE DATABASE {name}", ct);
                try
                {
                    var location = StoreLocation.Parse(new NpgsqlConnectionStringBuilder(server) { Database = name, CommandTimeout = 0 }.ConnectionString);
                    results.Add(await ImportBenchmark.FangkongAsync("Fangkong on PostgreSQL (COPY, day partitions)", location, data, folder, ct));
                    Print(results[^1]);
                }
                finally
                {
                    NpgsqlConnection.ClearAllPools();
                    await DropDatabaseAsync(server, name, ct);
                }
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

    private static void Reset(string path)
    {
        foreach (var f in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(f);
        }
        if (Directory.Exists(path + ".checkins"))
        {
            Directory.Delete(path + ".checkins", recursive: true);
        }
    }

    /// <summary>Drops a scratch database; an autovacuum worker (which FORCE cannot end for a non-superuser) may hold it a few seconds.</summary>
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
