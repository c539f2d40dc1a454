using System.Text.RegularExpressions;

namespace Fangkong.People;

/// <summary>A mainland mobile number, optionally with +86 (SPEC C1: <c>^(\+86)?1[3-9]\d{9}$</c>).</summary>
public static partial class PhoneNumber
{
    [GeneratedRegex(@"^(\+86)?1[3-9]\d{9}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static bool IsValid(string text) => Pattern().IsMatch(text);
}
