using System.Text.RegularExpressions;

namespace Fangkong.Venues;

/// <summary>
/// Venue types the product knows by name (SPEC C6). Other lowercase codes are accepted and
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

    [GeneratedRegex("^[a-z][a-z0-9_]{0,39}$", RegexOptions.CultureInvariant)]
    private static partial Regex CodePattern();

    public static bool IsValidCode(string code) => CodePattern().IsMatch(code);

    public static string DisplayName(string code) => Known.TryGetValue(code, out var zh) ? zh : code;
}
