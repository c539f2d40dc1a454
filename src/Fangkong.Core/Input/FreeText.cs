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
        foreach (var ch in value)
        {
            if (IsHidden(ch) && !(multiline && ch is '\n' or '\r' or '\t'))
            {
                throw new RefusedException($"{field} holds a control or direction character (U+{(int)ch:X4}); type plain text", "text.control", field, $"U+{(int)ch:X4}");
            }
        }
    }

    /// <summary>A control character, or one of the bidirectional embeddings, overrides and isolates.</summary>
    public static bool IsHidden(char ch) => char.IsControl(ch) || ch is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069' or '\u200E' or '\u200F' or '\u061C';
}
