using System.Globalization;
using System.Reflection;

namespace Fangkong.Jurisdictions;

/// <summary>
/// Ningxia's region, 5 cities and 22 counties with their 2020 census populations, shipped as
/// reference data (SPEC section 5). Figures marked approximate in <c>ningxia.csv</c> are the
/// census rounded to ten thousand, adjusted so that each city's counties add up to its total.
/// </summary>
public static class NingxiaReference
{
    public const string RegionCode = "640000";

    private static readonly Lazy<IReadOnlyList<Jurisdiction>> LazyAll = new(Load);

    public static IReadOnlyList<Jurisdiction> All => LazyAll.Value;

    public static IEnumerable<Jurisdiction> Counties => All.Where(j => j.Level == JurisdictionLevel.County);

    private static List<Jurisdiction> Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("reference/ningxia.csv")
            ?? throw new InvalidOperationException("The Ningxia reference data is missing from the build.");
        using var reader = new StreamReader(stream);
        reader.ReadLine();
        var list = new List<Jurisdiction>();
        while (reader.ReadLine() is { Length: > 0 } line)
        {
            var parts = line.Split(',', 5);
            list.Add(new Jurisdiction(
                JurisdictionCode.Parse(parts[0]),
                parts[1],
                parts[2].Length == 0 ? null : JurisdictionCode.Parse(parts[2]),
                long.Parse(parts[3], CultureInfo.InvariantCulture)));
        }
        return list;
    }
}
