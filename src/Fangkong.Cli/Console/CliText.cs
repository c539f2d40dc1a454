using Fangkong.Application.Text;
using Fangkong.Tasks;

namespace Fangkong.Cli.Console;

/// <summary>
/// The command line's texts: the same as the command centre's, in Simplified Chinese unless
/// <c>FANGKONG_LANG=en</c> asks for English.
/// </summary>
internal static class CliText
{
    private static readonly Lazy<Texts> All = new(Texts.Load);

    public static string Language => Texts.Normalize(Environment.GetEnvironmentVariable("FANGKONG_LANG"));

    public static string Title(TaskTitle title) => All.Value.Title(Language, title);
}
