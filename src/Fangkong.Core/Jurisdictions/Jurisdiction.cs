namespace Fangkong.Jurisdictions;

/// <summary>One division of the jurisdiction tree.</summary>
/// <param name="Population">Resident population where known (2020 census for the built-in Ningxia tree).</param>
public sealed record Jurisdiction(JurisdictionCode Code, string Name, JurisdictionCode? ParentCode, long? Population)
{
    public JurisdictionLevel Level => Code.Level;
}
