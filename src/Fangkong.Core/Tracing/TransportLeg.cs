namespace Fangkong.Tracing;

public enum TransportMode
{
    Flight,
    Train,
    Coach,
}

/// <summary>
/// One person's journey on one trip: a flight, train or sealed coach identified by its number and
/// departure time, with the train car or the seat row where known. Times are Unix seconds.
/// </summary>
public sealed record TransportLeg(int Person, TransportMode Mode, string Number, long Departure, long Arrival, string? Car, int? Row, string? Seat)
{
    /// <summary>The trip shared by everyone on board.</summary>
    public (TransportMode, string, long) Trip => (Mode, Number, Departure);

    public static bool TryParseMode(string text, out TransportMode mode) =>
        Enum.TryParse(text.Trim(), ignoreCase: true, out mode) && !int.TryParse(text, out _);
}
