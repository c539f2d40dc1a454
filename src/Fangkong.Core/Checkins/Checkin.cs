namespace Fangkong.Checkins;

/// <summary>One stay at a venue (扫码登记), from check-in to check-out; times are instants.</summary>
public sealed record Checkin(string PersonKey, string VenueKey, DateTimeOffset CheckIn, DateTimeOffset CheckOut);
