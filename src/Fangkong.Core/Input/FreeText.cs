using System.Buffers;
using Fangkong.Control;

namespace Fangkong.Input;

/// <summary>
/// The rule for text a person types (a symptom, a note, a reason, a place, a name): at most a field's
/// length, and no control characters (other than line breaks and tabs in multi-line fields) or
/// direction overrides, which would hide or reorder what a reader sees. Checked by every handler
/// before anything is stored; a refusal names the field and the limit.
/// </summary>
public static class FreeText
{
    /// <summary>A name, a key, a vehicle or a phone.</summary>
    public const int Short = 100;

    /// <summary>A place or an address.</summary>
    public const int Medium = 300;

    /// <summary>A note, a reason or symptoms.</summary>
    public const int Long = 2000;

    /// <summary>Refuses <paramref name="value"/> when it breaks the rule; null and empty pass.</summary>
    public static void Require(string field, string? value, int max, bool multiline = false)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }
        if (value.Length > max)
        {
            throw new RefusedException($"{field} is {value.Length} characters long; at most {max} are kept", "text.tooLong", field, max);
        }
        if (IndexOfHidden(value, multiline) is var at and >= 0)
        {
            throw new RefusedException($"{field} holds a control or direction character ({CodeOf(value[at])}); type plain text", "text.control", field, CodeOf(value[at]));
        }
    }

    /// <summary>
    /// Where the first character that hides or reorders text stands (a control character, or one of the
    /// bidirectional marks, embeddings, overrides and isolates), or -1. Line breaks and tabs count only
    /// outside <paramref name="multiline"/> fields. The one statement of the rule, for handlers and imports.
    /// </summary>
    public static int IndexOfHidden(ReadOnlySpan<char> value, bool multiline) => value.IndexOfAny(multiline ? HiddenInMultiline : Hidden);

    /// <summary>A character as the refusals name it: U+202E.</summary>
    public static string CodeOf(char ch) => $"U+{(int)ch:X4}";

    private static readonly char[] Direction = ['\u061C', '\u200E', '\u200F', '\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069'];

    private static readonly SearchValues<char> Hidden = SearchValues.Create(
        [.. Enumerable.Range(0, 0x10000).Select(c => (char)c).Where(char.IsControl), .. Direction]);

    private static readonly SearchValues<char> HiddenInMultiline = SearchValues.Create(
        [.. Enumerable.Range(0, 0x10000).Select(c => (char)c).Where(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')), .. Direction]);
}
