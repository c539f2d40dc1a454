namespace Fangkong.Exposures;

/// <summary>The setting of a manual exposure recorded by an investigator (SPEC 4.1).</summary>
public enum ExposureSetting
{
    Household,
    Workplace,
    Meal,
    Care,
    Transport,
    Other,
}

public static class ExposureSettings
{
    public static string ToCode(this ExposureSetting setting) => setting.ToString().ToLowerInvariant();

    public static bool TryParse(string text, out ExposureSetting setting) =>
        Enum.TryParse(text.Trim(), ignoreCase: true, out setting) && !int.TryParse(text, out _);

    public static string Allowed => "household, workplace, meal, care, transport, other";
}
