using Fangkong.Cli.Commands;

namespace Fangkong.Tests.Support;

/// <summary>Runs the <c>fangkong</c> command line in-process and captures what it prints. Console output is process-wide: callers belong to the console collection.</summary>
public static class Cli
{
    // Console output is process-wide: one command at a time, whichever test collection runs it.
    private static readonly SemaphoreSlim Console1 = new(1, 1);

    public static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        await Console1.WaitAsync();
        try
        {
            return await RunLockedAsync(args);
        }
        finally
        {
            Console1.Release();
        }
    }

    private static async Task<(int Code, string Out, string Err)> RunLockedAsync(string[] args)
    {
        var (oldOut, oldErr) = (Console.Out, Console.Error);
        using var output = new StringWriter();
        using var error = new StringWriter();
        Console.SetOut(output);
        Console.SetError(error);
        try
        {
            return (await CommandLine.RunAsync(args), output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
        }
    }
}
