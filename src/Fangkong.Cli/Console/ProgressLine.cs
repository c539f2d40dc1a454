using Fangkong.Files.Imports;

namespace Fangkong.Cli.Console;

/// <summary>
/// Import progress on standard error: a bar redrawn in place on a terminal, plain periodic
/// lines when piped (CI logs), nothing for small files that finish within a second.
/// </summary>
internal sealed class ProgressLine(string label) : IProgress<ImportProgress>, IDisposable
{
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private readonly bool _terminal = !System.Console.IsErrorRedirected;
    private TimeSpan _last = TimeSpan.FromSeconds(1);
    private bool _drawn;

    public void Report(ImportProgress value)
    {
        var elapsed = _clock.Elapsed;
        if (elapsed - _last < (_terminal ? TimeSpan.FromMilliseconds(200) : TimeSpan.FromSeconds(5)))
        {
            return;
        }
        _last = elapsed;
        var fraction = value.Length == 0 ? 1 : Math.Clamp((double)value.BytesRead / value.Length, 0, 1);
        var rate = value.Rows / Math.Max(elapsed.TotalSeconds, 1e-3);
        if (_terminal)
        {
            var filled = (int)(fraction * 30);
            System.Console.Error.Write($"\r{label} [{new string('#', filled)}{new string('.', 30 - filled)}] {fraction:P0} {value.Rows:N0} rows {rate:N0}/s ");
            _drawn = true;
        }
        else
        {
            System.Console.Error.WriteLine($"{label}: {fraction:P0}, {value.Rows:N0} rows read, {rate:N0} rows/s");
        }
    }

    public void Done()
    {
        if (_drawn)
        {
            System.Console.Error.WriteLine();
            _drawn = false;
        }
    }

    public void Dispose() => Done();
}
