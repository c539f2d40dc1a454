using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Fangkong.Cli.Bench;

/// <summary>One run of a <c>fangkong</c> command in its own process, timed from process start to exit.</summary>
internal sealed record CommandRun(string Arguments, TimeSpan Wall, string Output, long PeakBytes);

/// <summary>One store's figures: each import and each trace run of the batch contract, as separate processes.</summary>
internal sealed record ContractStoreResult(string Store, IReadOnlyList<(string Kind, long Rows, CommandRun Run)> Imports, IReadOnlyList<CommandRun> Traces);

/// <summary>
/// The batch contract end to end, as a user runs it: <c>fangkong --db … import …</c> for each file and
/// <c>fangkong --db … trace --policy … --as-of … --out contacts.csv</c>, each in its own process of this same
/// build, timed from process start to exit. Each trace runs on a fresh copy of the imported store (a trace
/// stores its contacts and creates their orders, so a second one on the same store has nothing to do).
/// </summary>
internal static partial class ContractBenchmark
{
    public static readonly string[] ImportOrder = ["persons", "venues", "checkins", "exposures", "cases"];

    public static async Task<ContractStoreResult> EmbeddedAsync(string dir, string policy, int runs, CancellationToken ct)
    {
        var store = Path.Combine(dir, "contract.db");
        BenchStore.Reset(store);
        var imports = await ImportAllAsync(store, dir, ct);
        var traces = new List<CommandRun>();
        for (var r = 0; r < runs; r++)
        {
            var copy = Path.Combine(dir, "contract-run.db");
            BenchStore.Reset(copy);
            BenchStore.Copy(store, copy);
            traces.Add(await TraceAsync(copy, dir, policy, Path.Combine(dir, "contacts.csv"), ct));
        }
        return new ContractStoreResult("embedded (SQLite + day segments)", imports, traces);
    }

    /// <summary>The same on a PostgreSQL database (created empty by the caller): imports, then one trace.</summary>
    public static async Task<ContractStoreResult> PostgresAsync(string connection, string dir, string policy, CancellationToken ct)
    {
        var imports = await ImportAllAsync(connection, dir, ct);
        var trace = await TraceAsync(connection, dir, policy, Path.Combine(dir, "contacts-postgres.csv"), ct);
        return new ContractStoreResult("PostgreSQL", imports, [trace]);
    }

    private static async Task<List<(string, long, CommandRun)>> ImportAllAsync(string db, string dir, CancellationToken ct)
    {
        var list = new List<(string, long, CommandRun)>();
        foreach (var kind in ImportOrder)
        {
            var run = await RunAsync(["--db", db, "import", kind, ContractDataset.File(dir, kind)], ct);
            var rows = ImportedRows().Match(run.Output) is { Success: true } m ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
            System.Console.WriteLine($"  import {kind}: {rows:N0} rows in {run.Wall.TotalSeconds:F2} s (process) = {rows / run.Wall.TotalSeconds:N0} rows/s");
            list.Add((kind, rows, run));
        }
        return list;
    }

    private static async Task<CommandRun> TraceAsync(string db, string dir, string policy, string output, CancellationToken ct)
    {
        var run = await RunAsync(["--db", db, "trace", "--policy", policy, "--as-of", ContractDataset.AsOf, "--out", output], ct);
        System.Console.WriteLine($"  trace: {run.Wall.TotalSeconds:F2} s (process), peak {run.PeakBytes / 1e6:N0} MB: {run.Output.Trim()}");
        return run;
    }

    [GeneratedRegex(@"imported \S+: (\d+) rows")]
    private static partial Regex ImportedRows();

    /// <summary>Runs this build's own CLI with <paramref name="arguments"/>; a failure stops the benchmark with its output.</summary>
    public static async Task<CommandRun> RunAsync(IReadOnlyList<string> arguments, CancellationToken ct)
    {
        var start = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var host = Environment.ProcessPath ?? "dotnet";
        start.FileName = host;
        if (Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(typeof(ContractBenchmark).Assembly.Location);
        }
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start " + host);
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        long peak = 0;
        while (!process.HasExited)
        {
            try
            {
                process.Refresh();
                peak = Math.Max(peak, process.PeakWorkingSet64);
            }
            catch (InvalidOperationException)
            {
                break;
            }
            await Task.WhenAny(process.WaitForExitAsync(ct), Task.Delay(50, ct));
        }
        await process.WaitForExitAsync(ct);
        var wall = clock.Elapsed;
        var output = await stdout;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"fangkong {string.Join(' ', arguments)} failed ({process.ExitCode}): {output}{await stderr}");
        }
        return new CommandRun(string.Join(' ', arguments), wall, output, peak);
    }
}
