namespace Fangkong;

/// <summary>Enumerations stored and typed as short text codes (e.g. <c>under_control</c>).</summary>
public static class Codes
{
    /// <summary>The member whose code is <paramref name="text"/> (exact, case-sensitive), if any.</summary>
    public static bool TryParse<T>(string? text, Func<T, string> code, out T value)
        where T : struct, Enum
    {
        foreach (var member in Enum.GetValues<T>())
        {
            if (string.Equals(code(member), text, StringComparison.Ordinal))
            {
                value = member;
                return true;
            }
        }
        value = default;
        return false;
    }
}
