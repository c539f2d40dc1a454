using System.Text.RegularExpressions;

namespace Fangkong.Venues;

/// <summary>
/// Venue types the product knows by name (SPEC C6). Other types are accepted as written and
/// follow the policy's default rules.
/// </summary>
public static partial class VenueTypes
{
    public static readonly IReadOnlyDictionary<string, string> Known = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["cinema"] = "电影院",
        ["theatre"] = "剧场",
        ["game_hall"] = "游戏厅",
        ["ktv"] = "KTV",
        ["gym"] = "健身房",
        ["restaurant"] = "餐馆",
        ["market"] = "农贸市场",
        ["supermarket"] = "超市",
        ["hotel"] = "宾馆",
        ["school"] = "学校",
        ["hospital"] = "医院",
        ["airport"] = "机场",
        ["station"] = "车站",
        ["office"] = "办公场所",
        ["factory"] = "工厂",
        ["mall"] = "商场",
        ["bath"] = "洗浴中心",
        ["internet_cafe"] = "网吧",
    };

    /// <summary>Types that are enclosed spaces by default (密闭空间) when a file does not say.</summary>
    public static readonly IReadOnlySet<string> EnclosedByDefault = new HashSet<string>(StringComparer.Ordinal)
    {
        "cinema", "theatre", "game_hall", "ktv", "gym", "bath", "internet_cafe",
    };

    [GeneratedRegex(@"[\s\-]+", RegexOptions.CultureInvariant)]
    private static partial Regex Separators();

    /// <summary>
    /// The code a type is known by in policies: lowercase, spaces and hyphens as underscores
    /// (<c>Game Hall</c> → <c>game_hall</c>). Files keep the type as written.
    /// </summary>
    public static string Normalize(string type) => Separators().Replace(type.Trim().ToLowerInvariant(), "_");

    /// <summary>A type is any non-empty name of at most 40 characters without control characters.</summary>
    public static bool IsValid(string type) => type.Trim().Length is > 0 and <= 40 && !type.Any(char.IsControl);
}
