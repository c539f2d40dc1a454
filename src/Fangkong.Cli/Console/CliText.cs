using Fangkong.Application.Text;
using Fangkong.Tasks;

namespace Fangkong.Cli.Console;

/// <summary>
/// The command line's texts: the same as the command centre's, in Simplified Chinese unless
/// <c>FANGKONG_LANG=en</c> asks for English.
/// </summary>
internal static class CliText
{
    public static string Language => Texts.Normalize(Environment.GetEnvironmentVariable("FANGKONG_LANG"));

    public static string Title(TaskTitle title) => Texts.Default.Title(Language, title);

    /// <summary>A step's detail in the loop log, in this language; text someone typed stays as typed.</summary>
    public static string Log(string? stored) => Render(Fangkong.Text.LoopLog.Read(stored));

    /// <summary>A phrase the system wrote (a finding of the missing audit), in this language.</summary>
    public static string Render(Fangkong.Text.Phrase phrase) => Texts.Default.Render(Language, phrase);
}
