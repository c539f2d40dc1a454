using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;

namespace Fangkong.Application.Text;

/// <summary>
/// Every label, message, refusal, task title and validation error of the front ends, in Simplified
/// Chinese (the default) and English: <c>Text/zh-CN.json</c> and <c>Text/en.json</c>, flat key → text, with
/// <c>{0}</c>-style placeholders. A test fails when a key is missing in either file or used in a page
/// without being defined.
/// </summary>
public sealed class Texts
{
    public const string Chinese = "zh-CN";
    public const string English = "en";
    public static readonly IReadOnlyList<string> Languages = [Chinese, English];

    private readonly FrozenDictionary<string, FrozenDictionary<string, string>> _byLanguage;

    private Texts(FrozenDictionary<string, FrozenDictionary<string, string>> byLanguage) => _byLanguage = byLanguage;

    public static Texts Load()
    {
        var assembly = typeof(Texts).Assembly;
        var byLanguage = new Dictionary<string, FrozenDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var lang in Languages)
        {
            using var stream = assembly.GetManifestResourceStream($"Fangkong.Application.Text.{lang}.json")
                ?? throw new InvalidOperationException($"The UI texts for {lang} are missing from the assembly.");
            var map = JsonSerializer.Deserialize<Dictionary<string, string>>(stream) ?? [];
            byLanguage[lang] = map.ToFrozenDictionary(StringComparer.Ordinal);
        }
        return new Texts(byLanguage.ToFrozenDictionary(StringComparer.Ordinal));
    }

    public IReadOnlyCollection<string> KeysOf(string language) => _byLanguage[language].Keys;

    /// <summary>The text of <paramref name="key"/> in <paramref name="language"/>; the key itself in brackets when missing (tests catch that).</summary>
    public string Get(string language, string key) =>
        _byLanguage.TryGetValue(language, out var map) && map.TryGetValue(key, out var text) ? text : $"[{key}]";

    public bool Has(string language, string key) =>
        _byLanguage.TryGetValue(language, out var map) && map.ContainsKey(key);

    public string Format(string language, string key, params object?[] args) =>
        string.Format(CultureInfo.InvariantCulture, Get(language, key), args);

    public static string Normalize(string? language) => language == English ? English : Chinese;

    /// <summary>A task's title in <paramref name="language"/>.</summary>
    public string Title(string language, Fangkong.Tasks.TaskTitle title) => title.Render(key => Get(language, key));

    /// <summary>A phrase the system wrote (a step of the loop), in <paramref name="language"/>.</summary>
    public string Render(string language, Fangkong.Text.Phrase phrase) => phrase.Render(key => Get(language, key));

    /// <summary>
    /// Who did something, as a reader of <paramref name="language"/> names them: the system's own actors
    /// (the clock, the demo's simulated staff) by their role (<c>actor.{name}</c>), users by their user name.
    /// </summary>
    public string Actor(string language, string name) => Has(language, "actor." + name) ? Get(language, "actor." + name) : name;

    /// <summary>The detail of a person's history entry as text: each field by its label (<c>people.field.{name}</c>) and its value, a change as <c>before → after</c>.</summary>
    public string PersonHistory(string language, string detail) =>
        string.Join(Get(language, "common.semicolon"), Fangkong.People.PersonHistory.Fields(detail)
            .Select(f => f.Field.Length == 0 ? f.Value : (Has(language, "people.field." + f.Field) ? Get(language, "people.field." + f.Field) : f.Field) + Get(language, "common.colon") + f.Value));

    /// <summary>
    /// An audit entry's detail in <paramref name="language"/>: a phrase the system wrote, or the detail as
    /// it is (data: a query, a file name, a reason typed). A refusal whose code has no text here shows its
    /// message.
    /// </summary>
    public string AuditDetail(string language, string? stored) => AuditPhrase(language, Fangkong.Text.AuditDetail.Read(stored), stored ?? "");

    private string AuditPhrase(string language, Fangkong.Text.Phrase phrase, string stored)
    {
        if (phrase.IsPlain)
        {
            return Render(language, phrase);
        }
        if (!Has(language, phrase.Key))
        {
            // A coded reason keeps its message last; a phrase of the audit's own that these texts lack shows as stored.
            return !phrase.Key.StartsWith(Fangkong.Text.AuditDetail.Prefix, StringComparison.Ordinal) && phrase.Args.Count > 0 ? phrase.Args[^1] : stored;
        }
        // A value may itself be a phrase (a release's basis from the loop log, each unmet criterion of a refused release, an import's refusal).
        List<string> args = [.. phrase.Args.Select(a => a.StartsWith("[\"", StringComparison.Ordinal) ? AuditPhrase(language, Fangkong.Text.Phrase.Decode(a, ""), a) : a)];
        if (phrase.Key == Fangkong.Text.AuditDetail.Prefix + "releaseRefused" && args.Count > 1)
        {
            args = [args[0], string.Join(Get(language, "common.semicolon"), args.Skip(1))];
        }
        return Render(language, phrase with { Args = args });
    }

    /// <summary>
    /// What an audit entry records, in <paramref name="language"/> (<c>auditAction.{code}</c>): a refused
    /// change as the change and "refused", a step of the loop by its status, a round or a bulk action by
    /// its step; a code without a text is shown as it is.
    /// </summary>
    public string AuditAction(string language, string code)
    {
        const string Refused = ".refused";
        string Step(string step) => Has(language, "auditAction.step." + step) ? Get(language, "auditAction.step." + step)
            : Has(language, "status." + step) ? Get(language, "status." + step) : step;
        if (code.EndsWith(Refused, StringComparison.Ordinal))
        {
            return Format(language, "auditAction.refused", AuditAction(language, code[..^Refused.Length]));
        }
        if (Has(language, "auditAction." + code))
        {
            return Get(language, "auditAction." + code);
        }
        foreach (var (prefix, key) in (ReadOnlySpan<(string, string)>)[("control.round.", "auditAction.round"), ("contact.bulk.", "auditAction.contactBulk"), ("task.bulk.", "auditAction.taskBulk")])
        {
            if (code.StartsWith(prefix, StringComparison.Ordinal))
            {
                return Format(language, key, Step(code[prefix.Length..]));
            }
        }
        return code.StartsWith("control.", StringComparison.Ordinal) && Has(language, "status." + code["control.".Length..])
            ? Format(language, "auditAction.move", Get(language, "status." + code["control.".Length..]))
            : code;
    }

    private static readonly Lazy<Texts> s_default = new(Load);

    /// <summary>The texts, loaded once (for the command line, which has no service container of its own for them).</summary>
    public static Texts Default => s_default.Value;
}
