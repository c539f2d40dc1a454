namespace Fangkong.Sites;

/// <summary>A quarantine room as placement sees it: a household room or a single one, its places, reserve or not, who is in it.</summary>
/// <param name="Household">The household key of its occupants (one household a room), if anyone is in it.</param>
public sealed record RoomOccupancy(bool HouseholdRoom, int Capacity, bool Reserve, int Occupants, string? Household);

/// <summary>
/// Whether a household of <c>size</c> people fits a room (集中隔离: one person or one household a room):
/// a single room takes one person when empty; a household room takes the household when it has the
/// places and holds no other household; a reserve room (备而不用) is opened only when asked, unless
/// already in use. Said once, in C# (<see cref="Fits"/>) and in SQL (<see cref="Sql"/>) for the
/// suggestion query; a test checks the two agree.
/// </summary>
public static class RoomFit
{
    public static bool Fits(RoomOccupancy room, string household, int size, bool useReserve) =>
        (room.HouseholdRoom
            ? room.Occupants + size <= room.Capacity && (room.Occupants == 0 || room.Household == household)
            : size == 1 && room.Occupants == 0)
        && (useReserve || !room.Reserve || room.Occupants > 0);

    /// <summary>
    /// <see cref="Fits"/> as a SQL condition on a <c>site_rooms</c> row aliased <paramref name="room"/>, with the
    /// parameters <c>@size</c>, <c>@household</c> and <c>@useReserve</c> (1 or 0).
    /// </summary>
    public static string Sql(string room) =>
        $"(({room}.kind = 'household' AND {room}.occupants + @size <= {room}.capacity AND ({room}.occupants = 0 OR {room}.household = @household)) " +
        $"OR ({room}.kind = 'single' AND @size = 1 AND {room}.occupants = 0)) AND (@useReserve = 1 OR {room}.reserve = 0 OR {room}.occupants > 0)";
}
