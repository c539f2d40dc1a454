namespace Fangkong.Venues;

/// <summary>
/// A venue people check in to (场所). <see cref="Type"/> is a lowercase code such as
/// <c>cinema</c> or <c>restaurant</c>; see <see cref="VenueTypes"/> for the known ones.
/// </summary>
public sealed record Venue(
    string VenueKey,
    string? Name,
    string Type,
    string? CommunityCode,
    int? Capacity,
    bool? Enclosed);
