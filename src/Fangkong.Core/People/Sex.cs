namespace Fangkong.People;

public enum Sex
{
    Female,
    Male,
}

public static class Sexes
{
    /// <summary>The code written to files: <c>M</c> or <c>F</c>.</summary>
    public static string ToCode(this Sex sex) => sex == Sex.Male ? "M" : "F";

    /// <summary>Accepts M/F, male/female and 男/女, in any case.</summary>
    public static bool TryParse(string text, out Sex sex)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "m" or "male" or "男": sex = Sex.Male; return true;
            case "f" or "female" or "女": sex = Sex.Female; return true;
            default: sex = default; return false;
        }
    }

    /// <summary>Values that say the sex is not known: treated as an empty column.</summary>
    public static bool IsUnknown(string text) => text.Trim().ToLowerInvariant() is "u" or "unknown" or "未知" or "x";
}
