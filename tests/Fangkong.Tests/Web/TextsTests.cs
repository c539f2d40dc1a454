using System.Text.RegularExpressions;
using Fangkong.Application.Text;

namespace Fangkong.Tests.Web;

/// <summary>Every label, message and error exists in Simplified Chinese and English, and every key a page uses is defined.</summary>
public sealed partial class TextsTests
{
    private static readonly Texts Texts = Texts.Load();
    private static readonly string[] Sources = ["check-in", "interview", "exposure"];
    private static readonly string[] Tiers = ["close", "secondary", "general"];
    private static readonly int[] ErrorCodes = [404, 403, 429, 500];

    [Fact]
    public void BothLanguages_HaveTheSameKeys_AndNoEmptyText()
    {
        var zh = Texts.KeysOf(Texts.Chinese).ToHashSet();
        var en = Texts.KeysOf(Texts.English).ToHashSet();
        Assert.Empty(zh.Except(en));
        Assert.Empty(en.Except(zh));
        foreach (var lang in Texts.Languages)
        {
            Assert.All(Texts.KeysOf(lang), k => Assert.False(string.IsNullOrWhiteSpace(Texts.Get(lang, k)), $"{lang}: {k} is empty"));
        }
    }

    [Fact]
    public void PlaceholdersMatch_BetweenTheLanguages()
    {
        foreach (var key in Texts.KeysOf(Texts.Chinese))
        {
            var zh = Placeholder().Matches(Texts.Get(Texts.Chinese, key)).Select(m => m.Value).Order(StringComparer.Ordinal);
            var en = Placeholder().Matches(Texts.Get(Texts.English, key)).Select(m => m.Value).Order(StringComparer.Ordinal);
            Assert.True(zh.SequenceEqual(en), $"{key}: placeholders differ");
        }
    }

    [Fact]
    public void EveryKeyUsedInTheWebSources_IsDefined()
    {
        var root = Path.Combine(Support.RepositoryPaths.Root, "src", "Fangkong.Web");
        var used = new HashSet<string>(StringComparer.Ordinal);
        var prefixes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(root, "*.*", SearchOption.AllDirectories).Where(f => f.EndsWith(".cshtml", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal)))
        {
            if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal) || file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            {
                continue;
            }
            var source = File.ReadAllText(file);
            used.UnionWith(KeyUse().Matches(source).Select(m => m.Groups[1].Value));
            prefixes.UnionWith(PrefixUse().Matches(source).Select(m => m.Groups[1].Value));
        }
        Assert.True(used.Count > 100, $"only {used.Count} keys found: is the pattern right?");
        var missing = used.Where(k => Texts.Get(Texts.Chinese, k) == $"[{k}]").Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, "used but not defined: " + string.Join(", ", missing));
        // Keys built from a prefix ("status." + code) must have at least one defined member.
        var undefined = prefixes.Where(p => !Texts.KeysOf(Texts.Chinese).Any(k => k.StartsWith(p, StringComparison.Ordinal))).ToList();
        Assert.True(undefined.Count == 0, "prefixes with no key: " + string.Join(", ", undefined));
    }

    [Fact]
    public void EveryCodeShownByName_HasATextInBothLanguages()
    {
        var keys = new List<string>();
        keys.AddRange(Enum.GetValues<Fangkong.Control.ControlStatus>().Select(v => "status." + Fangkong.Control.ControlLoop.ToCode(v)));
        keys.AddRange(Enum.GetValues<Fangkong.Control.ControlGroup>().Select(v => "group." + Fangkong.Control.ControlCodes.ToCode(v)));
        keys.AddRange(Enum.GetValues<Fangkong.Control.ControlMeasure>().Select(v => "measure." + Fangkong.Control.ControlCodes.ToCode(v)));
        keys.AddRange(Enum.GetValues<Fangkong.Cases.CaseClassification>().Select(v => "classification." + Fangkong.Cases.CaseClassifications.ToCode(v)));
        keys.AddRange(Enum.GetValues<Fangkong.Staff.StaffRole>().Select(v => "role." + v));
        keys.AddRange(Fangkong.Web.Pages.Tasks.IndexModel.Kinds.Select(k => "taskKind." + k));
        keys.AddRange(Fangkong.Web.Pages.Tasks.IndexModel.Views.Select(k => "tasks.view." + k));
        keys.AddRange(Sources.Select(s => "itinerary.source." + s));
        keys.AddRange(Fangkong.Control.ReleaseCriteria.Codes.Select(c => "release.unmet." + c));
        keys.AddRange(Enum.GetValues<Fangkong.Exposures.ExposureSetting>().Select(v => "exposure.setting." + Fangkong.Exposures.ExposureSettings.ToCode(v)));
        keys.AddRange(Fangkong.Storage.Control.MissingAudit.Kinds.Select(k => "missing.kind." + k));
        keys.AddRange(Fangkong.Web.Pages.Import.IndexModel.Kinds.Select(k => "import.kind." + k.ToString().ToLowerInvariant()));
        keys.AddRange(Tiers.Select(s => "tier." + s));
        keys.AddRange(ErrorCodes.SelectMany(c => new[] { $"error.{c}.title", $"error.{c}.text" }));
        foreach (var lang in Texts.Languages)
        {
            var missing = keys.Where(k => Texts.Get(lang, k) == $"[{k}]").ToList();
            Assert.True(missing.Count == 0, $"{lang} lacks: {string.Join(", ", missing)}");
        }
    }

    [Fact]
    public void EveryRefusalCode_HasATextInBothLanguages_NamingAllItsValues()
    {
        // Codes as thrown: new RefusedException("message", "code", values…), one line each.
        var root = Path.Combine(Support.RepositoryPaths.Root, "src");
        var thrown = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
        {
            foreach (var line in File.ReadLines(file).Where(l => l.Contains("new RefusedException(", StringComparison.Ordinal)))
            {
                foreach (Match m in RefusalCode().Matches(line))
                {
                    Note(thrown, m.Groups[1].Value, m.Groups[2].Value);
                }
            }
        }
        Assert.True(thrown.Count > 30, $"only {thrown.Count} refusal codes found: is the pattern right?");
        AssertTextsFor("refusal.", thrown);
    }

    [Fact]
    public void EveryImportRowCode_HasATextInBothLanguages_NamingAllItsValues()
    {
        // Codes as given: new RowError(line, "column", "reason") { Code = "code", Args = [values…] }, one line each.
        var root = Path.Combine(Support.RepositoryPaths.Root, "src", "Fangkong.Files");
        var given = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories).SelectMany(File.ReadLines))
        {
            foreach (Match m in RowCode().Matches(line))
            {
                Note(given, m.Groups[1].Value, m.Groups[2].Value);
            }
        }
        Assert.True(given.Count > 20, $"only {given.Count} row codes found: is the pattern right?");
        AssertTextsFor("row.", given);
    }

    [Fact]
    public void EveryTaskTitle_HasATextInBothLanguages_NamingAllItsValues()
    {
        // Titles as made: TaskTitle.Of("name", values…), the values split at the call's own commas.
        var root = Path.Combine(Support.RepositoryPaths.Root, "src");
        var made = new Dictionary<string, int>(StringComparer.Ordinal);
        const string call = "TaskTitle.Of(\"";
        foreach (var text in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories).Select(File.ReadAllText))
        {
            for (var at = text.IndexOf(call, StringComparison.Ordinal); at >= 0; at = text.IndexOf(call, at + 1, StringComparison.Ordinal))
            {
                var name = text[(at + call.Length)..text.IndexOf('"', at + call.Length)];
                if (name.Length == 0 || !char.IsLetter(name[0]))
                {
                    continue;   // the definition's own documentation
                }
                var (depth, values) = (0, 0);
                for (var i = at + call.Length - 2; ; i++)
                {
                    if (text[i] == '(') { depth++; }
                    else if (text[i] == ')' && --depth == 0) { break; }
                    else if (text[i] == ',' && depth == 1) { values++; }
                }
                made[name] = Math.Min(values, made.GetValueOrDefault(name, values));
            }
        }
        Assert.True(made.Count >= 9, $"only {made.Count} task titles found: is the pattern right?");
        AssertTextsFor(Fangkong.Tasks.TaskTitle.Prefix, made);
    }

    /// <summary>Records how many values a code is given where it is used (the fewest, where it is used several times).</summary>
    private static void Note(Dictionary<string, int> codes, string code, string values)
    {
        var count = values.Split(',', StringSplitOptions.RemoveEmptyEntries).Length;
        codes[code] = Math.Min(count, codes.GetValueOrDefault(code, count));
    }

    /// <summary>Each code has a text in both languages, and its placeholders name only values every use of the code gives.</summary>
    private static void AssertTextsFor(string prefix, Dictionary<string, int> codes)
    {
        foreach (var lang in Texts.Languages)
        {
            foreach (var (code, values) in codes)
            {
                var text = Texts.Get(lang, prefix + code);
                Assert.False(text == $"[{prefix}{code}]", $"{lang} lacks {prefix}{code}");
                Assert.All(Placeholder().Matches(text).Select(p => int.Parse(p.Value[1..^1], System.Globalization.CultureInfo.InvariantCulture)), i => Assert.True(i < values, $"{prefix}{code} uses {{{i}}} of {values} value(s)"));
            }
        }
    }

    [GeneratedRegex(@"Code = ""([A-Za-z]+)""(?:, Args = \[([^\]]*)\])?")]
    private static partial Regex RowCode();

    [GeneratedRegex(@"""\s*,\s*""([a-z]+\.[A-Za-z]+)""((?:\s*,\s*[^,()]+(?:\([^()]*\))?)*)\)")]
    private static partial Regex RefusalCode();

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"(?:\bT|\btext)(?:\[|\.F\()""([a-z][A-Za-z0-9_.\-]*[A-Za-z0-9_])""")]
    private static partial Regex KeyUse();

    [GeneratedRegex(@"(?:\bT|\btext)\[""([a-z][A-Za-z0-9_.\-]*\.)""\s*\+")]
    private static partial Regex PrefixUse();
}
