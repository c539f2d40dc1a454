using System.Globalization;
using Fangkong.Text;

namespace Fangkong.Tasks;

/// <summary>
/// What a task's title says, as a text key (<c>taskTitle.{name}</c>) and its values, so that each reader
/// sees it in their own language. A value that starts with <c>@</c> is itself a text key (a group or a
/// measure: <c>@group.close</c>); the others are shown as they are (a day, a date, a temperature).
/// Stored as a JSON array, key first; a title stored as plain text (older stores) is shown as it is.
/// </summary>
public sealed record TaskTitle(string Key, IReadOnlyList<string> Args)
{
    /// <summary>The prefix of every title key in the texts.</summary>
    public const string Prefix = "taskTitle.";

    public static TaskTitle Of(string name, params string[] args) => new(Prefix + name, args);

    /// <summary>A title kept as plain text, shown as it is.</summary>
    public static TaskTitle Plain(string text) => new("", [text]);

    /// <summary>A value that is a text key of its own.</summary>
    public static string Text(string key) => "@" + key;

    public static string Number(double value, string format = "0.0") => value.ToString(format, CultureInfo.InvariantCulture);

    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public bool IsPlain => Key.Length == 0;

    public string Encode() => new Phrase(Key, Args).Encode();

    public static TaskTitle Decode(string stored) =>
        Phrase.Decode(stored, Prefix) is { IsPlain: false } p ? new TaskTitle(p.Key, p.Args) : Plain(stored);

    /// <summary>The title in a reader's language, <paramref name="text"/> giving the text of a key.</summary>
    public string Render(Func<string, string> text) => new Phrase(Key, Args).Render(text);

    public override string ToString() => Encode();
}
