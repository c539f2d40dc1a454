using System.Globalization;
using System.Text.Json;

namespace Fangkong.Text;

/// <summary>
/// A sentence the system writes for people to read later (a step of the loop, a task's title), kept as a
/// text key and its values so that each reader sees it in their own language. A value that starts with
/// <c>@</c> is itself a text key (<c>@measure.home_quarantine</c>); the others are shown as they are (a
/// number, a date, a room, a reason someone typed). Stored as a JSON array, key first; anything else
/// stored (text typed by a user, entries of older stores) is plain and shown as it is.
/// </summary>
public sealed record Phrase(string Key, IReadOnlyList<string> Args)
{
    public static Phrase Of(string key, params string?[] args) => new(key, [.. args.Select(a => a ?? "")]);

    /// <summary>Text shown as it is.</summary>
    public static Phrase Plain(string text) => new("", [text]);

    /// <summary>A value that is a text key of its own.</summary>
    public static string Text(string key) => "@" + key;

    public static string Date(DateOnly? date) => date is { } d && d != DateOnly.MaxValue ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "—";

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    public bool IsPlain => Key.Length == 0;

    public string Encode() => IsPlain ? (Args.Count > 0 ? Args[0] : "") : JsonSerializer.Serialize((string[])[Key, .. Args]);

    /// <summary>A stored text read back: a phrase when it was written as one with a key of <paramref name="prefix"/>, else plain.</summary>
    public static Phrase Decode(string? stored, string prefix)
    {
        if (stored is null)
        {
            return Plain("");
        }
        if (stored.StartsWith("[\"" + prefix, StringComparison.Ordinal))
        {
            try
            {
                if (JsonSerializer.Deserialize<string[]>(stored) is [var key, .. var args])
                {
                    return new Phrase(key, args);
                }
            }
            catch (JsonException)
            {
                // not a phrase after all: shown as it is
            }
        }
        return Plain(stored);
    }

    /// <summary>The phrase in a reader's language, <paramref name="text"/> giving the text of a key.</summary>
    public string Render(Func<string, string> text)
    {
        if (IsPlain)
        {
            return Args.Count > 0 ? Args[0] : "";
        }
        var values = Args.Select(a => a.StartsWith('@') ? text(a[1..]) : a).ToArray<object?>();
        return string.Format(CultureInfo.InvariantCulture, text(Key), values);
    }

    public override string ToString() => Encode();
}

/// <summary>The phrases of the loop log (管控日志): each step's detail as the system writes it.</summary>
public static class LoopLog
{
    public const string Prefix = "event.";

    public static string Write(string name, params string?[] args) => Phrase.Of(Prefix + name, args).Encode();

    public static Phrase Read(string? stored) => Phrase.Decode(stored, Prefix);
}

/// <summary>
/// The phrases of the audit log's details: what the system writes there is kept as a key and its
/// values (<c>audit.detail.*</c>, and a refusal's own <c>refusal.*</c> code), read in the reader's
/// language; details that are data (a file name, a query, a number typed) stay plain.
/// </summary>
public static class AuditDetail
{
    public const string Prefix = "audit.detail.";
    public const string RefusalPrefix = "refusal.";

    public static string Write(string name, params string?[] args) => Phrase.Of(Prefix + name, args).Encode();

    /// <summary>
    /// A coded reason (a refusal's, an import refusal's) as a phrase of its text key, its message kept as the
    /// last value for a reader whose texts have no such key.
    /// </summary>
    public static string Coded(string key, IReadOnlyList<object?> args, string message) =>
        Phrase.Of(key, [.. args.Select(a => Convert.ToString(a, CultureInfo.InvariantCulture)), message]).Encode();

    /// <summary>A refusal's reason as a phrase of its code when it has one, else its message as it is.</summary>
    public static string Refusal(string? code, IReadOnlyList<object?> args, string message) =>
        code is null ? message : Coded(RefusalPrefix + code, args, message);

    /// <summary>Why a change was refused: a refused release by each unmet criterion, any other refusal by its code.</summary>
    public static string Refusal(Control.RefusedException e) => e is Control.ReleaseRefusedException r
        ? Write("releaseRefused", [Phrase.Number(r.OrderId), .. r.Unmet.Select(u => Phrase.Of("release.unmet." + u.Code, u.Args).Encode())])
        : Refusal(e.Code, e.Args, e.Message);

    public static Phrase Read(string? stored)
    {
        var phrase = Phrase.Decode(stored, Prefix);
        return phrase.IsPlain ? Phrase.Decode(stored, RefusalPrefix) : phrase;
    }
}
