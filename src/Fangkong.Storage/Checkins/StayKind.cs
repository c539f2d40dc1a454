namespace Fangkong.Storage.Checkins;

/// <summary>
/// The kinds of stays kept in day segments: check-ins at venues, and the mobile operator's dwell
/// records in grid cells (时空伴随 input), where a cell takes a venue's place. Each kind has its own
/// segments (a folder beside the SQLite file, a partitioned table in PostgreSQL) under the same rules.
/// </summary>
public sealed record StayKind(string Name, string FolderSuffix, string DaysTable, string Table, string PlaceColumn, string InColumn, string OutColumn, long AppendLock)
{
    public static StayKind Checkins { get; } = new("check-in", ".checkins", "checkin_days", "checkins", "venue_id", "check_in", "check_out", 0x46_4B_43_49);   // "FKCI"

    public static StayKind GridStays { get; } = new("grid stay", ".gridstays", "gridstay_days", "gridstays", "cell_id", "start_at", "end_at", 0x46_4B_47_53);   // "FKGS"

    public static IReadOnlyList<StayKind> All { get; } = [Checkins, GridStays];
}
