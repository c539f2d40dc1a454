using Microsoft.AspNetCore.Identity;

namespace Fangkong.Application.Accounts;

/// <summary>
/// Password hashing with ASP.NET Core Identity's hasher (PBKDF2-HMAC-SHA512, 100,000 iterations,
/// 128-bit salt, versioned format), so that stronger settings can be rolled out by rehashing on sign-in.
/// </summary>
public static class Passwords
{
    private static readonly PasswordHasher<object> Hasher = new();
    private static readonly object User = new();

    public const int MinLength = 10;

    public static string Hash(string password) => Hasher.HashPassword(User, password);

    /// <summary>Verifies; <paramref name="rehashed"/> is a new hash when the stored one uses older settings.</summary>
    public static bool Verify(string hash, string password, out string? rehashed)
    {
        rehashed = null;
        var result = Hasher.VerifyHashedPassword(User, hash, password);
        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            rehashed = Hash(password);
        }
        return result != PasswordVerificationResult.Failed;
    }

    /// <summary>Why a new password is not acceptable, or null.</summary>
    public static string? Weakness(string password) =>
        password.Length < MinLength ? $"must be at least {MinLength} characters"
        : password.Distinct().Count() < 5 ? "must use at least 5 different characters"
        : null;
}
