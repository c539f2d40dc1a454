using Spectre.Console;
using Spectre.Console.Rendering;

namespace Fangkong.Cli.Console;

/// <summary>
/// Writes tables to whatever <see cref="System.Console.Out"/> is at the time of the call (a terminal,
/// a pipe, or a test's capture). Output that is not a terminal gets a wide page so that rows stay on one line.
/// </summary>
internal static class Screen
{
    public static void Write(IRenderable renderable)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(System.Console.Out) });
        if (System.Console.IsOutputRedirected || System.Console.Out is StringWriter)
        {
            console.Profile.Width = 200;
        }
        console.Write(renderable);
    }
}
