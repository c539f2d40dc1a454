namespace Fangkong.Jurisdictions;

/// <summary>The level of a division in the GB/T 2260 tree (and its township/community extension).</summary>
public enum JurisdictionLevel
{
    Province = 1,
    City = 2,
    County = 3,
    Township = 4,
    Community = 5,
}

/// <summary>
/// A GB/T 2260 division code: 6 digits for province, city and county (640000, 640100, 640104),
/// 9 digits for a township or street, 12 digits for a community or village.
/// </summary>
public readonly record struct JurisdictionCode
{
    private JurisdictionCode(string value) => Value = value;

    public string Value { get; }

    public JurisdictionLevel Level => Value.Length switch
    {
        12 => JurisdictionLevel.Community,
        9 => JurisdictionLevel.Township,
        _ when Value.EndsWith("0000", StringComparison.Ordinal) => JurisdictionLevel.Province,
        _ when Value.EndsWith("00", StringComparison.Ordinal) => JurisdictionLevel.City,
        _ => JurisdictionLevel.County,
    };

    /// <summary>The code of the division directly above, or null for a province.</summary>
    public JurisdictionCode? Parent => Level switch
    {
        JurisdictionLevel.Province => null,
        JurisdictionLevel.City => new JurisdictionCode(Value[..2] + "0000"),
        JurisdictionLevel.County => new JurisdictionCode(Value[..4] + "00"),
        JurisdictionLevel.Township => new JurisdictionCode(Value[..6]),
        _ => new JurisdictionCode(Value[..9]),
    };

    /// <summary>This division if it is at <paramref name="level"/> or above, else its ancestor at that level.</summary>
    public JurisdictionCode Up(JurisdictionLevel level)
    {
        var code = this;
        while (code.Level > level && code.Parent is { } parent)
        {
            code = parent;
        }
        return code;
    }

    /// <summary>True when <paramref name="other"/> is this division or lies below it.</summary>
    public bool Contains(JurisdictionCode other) => Level switch
    {
        JurisdictionLevel.Province => other.Value.StartsWith(Value[..2], StringComparison.Ordinal),
        JurisdictionLevel.City => other.Value.StartsWith(Value[..4], StringComparison.Ordinal),
        _ => other.Value.StartsWith(Value, StringComparison.Ordinal),
    };

    public static bool TryParse(string? text, out JurisdictionCode code, out string? error)
    {
        code = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "is empty";
            return false;
        }
        text = text.Trim();
        if (text.Length is not (6 or 9 or 12) || !text.All(char.IsAsciiDigit))
        {
            error = $"'{text}' is not a GB/T 2260 code (6, 9 or 12 digits)";
            return false;
        }
        if (text[..2] == "00")
        {
            error = $"'{text}' has no province part";
            return false;
        }
        code = new JurisdictionCode(text);
        error = null;
        return true;
    }

    public static JurisdictionCode Parse(string text) =>
        TryParse(text, out var code, out var error) ? code : throw new FormatException($"Jurisdiction code {error}.");

    public override string ToString() => Value;
}
