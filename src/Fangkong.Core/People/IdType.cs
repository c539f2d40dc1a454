namespace Fangkong.People;

/// <summary>The kind of identity document a person is registered with (SPEC 4.1 <c>id_type</c>).</summary>
public enum IdType
{
    ResidentId,
    Passport,
    Other,
}

public static class IdTypes
{
    public static string ToCode(this IdType type) => type switch
    {
        IdType.ResidentId => "resident_id",
        IdType.Passport => "passport",
        _ => "other",
    };

    public static bool TryParse(string text, out IdType type)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "resident_id": type = IdType.ResidentId; return true;
            case "passport": type = IdType.Passport; return true;
            case "other": type = IdType.Other; return true;
            default: type = IdType.Other; return false;
        }
    }
}
