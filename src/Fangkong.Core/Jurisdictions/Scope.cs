namespace Fangkong.Jurisdictions;

/// <summary>Jurisdiction scoping (属地): a division and everything below it share a code prefix, in SQL (LIKE prefix%) and in C#.</summary>
public static class Scope
{
    /// <summary>The region: who answers when a person's community is unknown.</summary>
    public const string Region = NingxiaReference.RegionCode;

    /// <summary>The person's community code, or the region when it is missing or malformed.</summary>
    public static string HomeOf(string? community) => JurisdictionCode.TryParse(community, out var code, out _) ? code.Value : Region;

    /// <summary>The county of a community (or of any division below a county); the region when unknown.</summary>
    public static string CountyOf(string? community) =>
        JurisdictionCode.TryParse(community, out var code, out _) ? code.Up(JurisdictionLevel.County).Value : Region;

    /// <summary>The code prefix of everything inside <paramref name="j"/> (640000 → "64", 640100 → "6401", 640104 → "640104").</summary>
    public static string Prefix(JurisdictionCode j) => j.Level switch
    {
        JurisdictionLevel.Province => j.Value[..2],
        JurisdictionLevel.City => j.Value[..4],
        _ => j.Value,
    };

    /// <summary>
    /// True when a record of <paramref name="community"/> lies inside <paramref name="j"/>. The region sees
    /// everything, also records whose community is unknown; a lower jurisdiction sees only its own.
    /// </summary>
    public static bool Contains(JurisdictionCode j, string? community) =>
        j.Level == JurisdictionLevel.Province || (community is not null && community.StartsWith(Prefix(j), StringComparison.Ordinal));
}
