using System.Globalization;
using System.Security.Claims;
using Fangkong.Application;
using Fangkong.Jurisdictions;
using Fangkong.Staff;
using Fangkong.Storage.Accounts;

namespace Fangkong.Web.Access;

/// <summary>
/// The signed-in user as every page and API call sees them: role, jurisdiction (属地) and the staff
/// record whose tasks are theirs. <see cref="Sees"/> is the one scoping rule: a record belongs to
/// the viewer when its community lies in the viewer's jurisdiction or below.
/// </summary>
public sealed record Viewer(long AccountId, string Username, string DisplayName, StaffRole Role, JurisdictionCode Jurisdiction, long? StaffId)
{
    public const string PersonClaim = "fk:person";

    /// <summary>For a member of the public: their own person record.</summary>
    public long? PersonId { get; init; }

    public const string RoleClaim = "fk:role";
    public const string JurisdictionClaim = "fk:jurisdiction";
    public const string StaffClaim = "fk:staff";
    public const string DisplayNameClaim = "fk:display";

    /// <summary>The code prefix of the viewer's jurisdiction; empty for the whole region (nothing filtered).</summary>
    public string Prefix => Jurisdiction.Level == JurisdictionLevel.Province ? "" : Scope.Prefix(Jurisdiction);

    public bool Can(Permission p) => Role.Allows(p);

    /// <summary>
    /// The prefix of a list narrowed to <paramref name="within"/> (a county or community inside the viewer's
    /// jurisdiction, as the dashboard's links ask); the viewer's own prefix for anything else.
    /// </summary>
    public string PrefixWithin(string? within) =>
        JurisdictionCode.TryParse(within, out var code, out _) && code.Level != JurisdictionLevel.Province && Scope.Prefix(code).StartsWith(Prefix, StringComparison.Ordinal)
            ? Scope.Prefix(code)
            : Prefix;

    /// <summary>True when a record whose person lives in <paramref name="community"/> is in the viewer's scope. Unknown communities belong to the region.</summary>
    public bool Sees(string? community) => Scope.Contains(Jurisdiction, community);

    /// <summary>The viewer as the actor of a use case, acting through <paramref name="channel"/> from <paramref name="source"/> (the client address).</summary>
    public Actor ToActor(Channel channel, string source) =>
        new(Username, Jurisdiction, RolePermissions.Of(Role).ToHashSet(), channel, source) { PersonId = PersonId is { } p ? (int)p : null };

    public static Viewer Of(Account a) => new(a.Id, a.Username, a.DisplayName, a.Role, a.Jurisdiction, a.StaffId) { PersonId = a.PersonId };

    public IEnumerable<Claim> ToClaims()
    {
        yield return new Claim(ClaimTypes.NameIdentifier, AccountId.ToString(CultureInfo.InvariantCulture));
        yield return new Claim(ClaimTypes.Name, Username);
        yield return new Claim(DisplayNameClaim, DisplayName);
        yield return new Claim(RoleClaim, Role.ToCode());
        yield return new Claim(JurisdictionClaim, Jurisdiction.Value);
        if (StaffId is { } s)
        {
            yield return new Claim(StaffClaim, s.ToString(CultureInfo.InvariantCulture));
        }
        if (PersonId is { } p)
        {
            yield return new Claim(PersonClaim, p.ToString(CultureInfo.InvariantCulture));
        }
    }

    public static Viewer? FromPrincipal(ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true
            || !long.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), CultureInfo.InvariantCulture, out var id)
            || !StaffRoles.TryParse(user.FindFirstValue(RoleClaim), out var role)
            || !JurisdictionCode.TryParse(user.FindFirstValue(JurisdictionClaim), out var j, out _))
        {
            return null;
        }
        long? staff = long.TryParse(user.FindFirstValue(StaffClaim), CultureInfo.InvariantCulture, out var s) ? s : null;
        long? person = long.TryParse(user.FindFirstValue(PersonClaim), CultureInfo.InvariantCulture, out var pid) ? pid : null;
        return new Viewer(id, user.FindFirstValue(ClaimTypes.Name) ?? "", user.FindFirstValue(DisplayNameClaim) ?? "", role, j, staff) { PersonId = person };
    }
}
