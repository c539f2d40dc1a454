using System.Globalization;

namespace Fangkong.Web.Access;

/// <summary>
/// How personal data outside the viewer's jurisdiction is shown: a name keeps its surname
/// (王小明 → 王**), a document number its first 6 and last 4 characters, a phone its first 3 and
/// last 4 digits; an address is withheld. Characters are counted as a reader sees them (grapheme
/// clusters), so that a character outside the basic plane (𠮷) or a combined one is never cut in half.
/// </summary>
public static class Masking
{
    public static string Name(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "";
        }
        var chars = Graphemes(name);
        return chars[0] + new string('*', Math.Max(2, chars.Count - 1));
    }

    public static string Document(string? number) => Keep(number, 6, 4, 10);

    public static string Phone(string? phone) => Keep(phone, 3, 4, 7);

    /// <summary>The first <paramref name="head"/> and last <paramref name="tail"/> characters, the rest starred; all starred up to <paramref name="minimum"/> characters.</summary>
    private static string Keep(string? text, int head, int tail, int minimum)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }
        var chars = Graphemes(text);
        return chars.Count <= minimum
            ? new string('*', chars.Count)
            : string.Concat(chars.Take(head)) + new string('*', chars.Count - head - tail) + string.Concat(chars.Skip(chars.Count - tail));
    }

    private static List<string> Graphemes(string text)
    {
        var list = new List<string>(text.Length);
        var e = StringInfo.GetTextElementEnumerator(text);
        while (e.MoveNext())
        {
            list.Add(e.GetTextElement());
        }
        return list;
    }
}
