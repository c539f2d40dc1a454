using System.Globalization;

namespace Fangkong.People;

/// <summary>
/// An 18-character resident identity number (居民身份号码, GB 11643-1999): a 6-digit region code,
/// an 8-digit birth date, a 3-digit sequence whose last digit is odd for men, and a check character
/// computed as ISO 7064 MOD 11-2.
/// </summary>
public readonly record struct ResidentId
{
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckCharacters = "10X98765432";

    // Province-level prefixes of GB/T 2260 (including Taiwan, Hong Kong and Macao).
    private static readonly HashSet<string> Provinces =
    [
        "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
        "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
        "71", "81", "82",
    ];

    private ResidentId(string value, DateOnly birthDate)
    {
        Value = value;
        BirthDate = birthDate;
    }

    public string Value { get; }

    public DateOnly BirthDate { get; }

    public string RegionCode => Value[..6];

    public Sex Sex => (Value[16] - '0') % 2 == 1 ? Sex.Male : Sex.Female;

    /// <summary>The check character for the first 17 digits.</summary>
    public static char ComputeCheckCharacter(ReadOnlySpan<char> first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += (first17[i] - '0') * Weights[i];
        }
        return CheckCharacters[sum % 11];
    }

    public static bool TryParse(string? text, out ResidentId id, out string? error)
    {
        id = default;
        var value = text?.Trim().ToUpperInvariant() ?? "";
        if (value.Length == 15)
        {
            error = "is a 15-digit number of the old format; give the 18-digit number";
            return false;
        }
        if (value.Length != 18)
        {
            error = $"must have 18 characters, not {value.Length}";
            return false;
        }
        for (var i = 0; i < 17; i++)
        {
            if (!char.IsAsciiDigit(value[i]))
            {
                error = $"character {i + 1} must be a digit";
                return false;
            }
        }
        if (!char.IsAsciiDigit(value[17]) && value[17] != 'X')
        {
            error = "the last character must be a digit or X";
            return false;
        }
        if (!Provinces.Contains(value[..2]))
        {
            error = $"region code {value[..6]} names no province";
            return false;
        }
        if (!DateOnly.TryParseExact(value.AsSpan(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var birth)
            || birth.Year < 1880)
        {
            error = $"birth date {value.Substring(6, 8)} is not a valid date";
            return false;
        }
        var expected = ComputeCheckCharacter(value);
        if (value[17] != expected)
        {
            error = $"check digit is {value[17]}, expected {expected}";
            return false;
        }
        id = new ResidentId(value, birth);
        error = null;
        return true;
    }

    public override string ToString() => Value;
}
