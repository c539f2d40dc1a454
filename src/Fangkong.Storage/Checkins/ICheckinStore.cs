namespace Fangkong.Storage.Checkins;

/// <summary>
/// The check-in store: the largest data in the system (a province makes ~20 M a day). Rows are
/// grouped by local day so that appends are fast, a day is read as a whole, and retention drops
/// whole days. Appending is atomic and idempotent: a row already stored is not stored twice.
/// </summary>
public interface ICheckinStore
{
    /// <summary>Adds rows, skipping exact duplicates; all days commit together or none. Returns rows added.</summary>
    Task<long> AppendAsync(IReadOnlyList<CheckinRow> rows, CancellationToken ct = default);

    Task<IReadOnlyList<CheckinDayInfo>> ListDaysAsync(CancellationToken ct = default);

    /// <summary>A day's check-ins, or an empty day when none are stored.</summary>
    Task<CheckinDay> ReadDayAsync(int day, CancellationToken ct = default);

    /// <summary>Drops every day before <paramref name="firstKeptDay"/>; returns the rows dropped.</summary>
    Task<long> DropDaysBeforeAsync(int firstKeptDay, CancellationToken ct = default);
}
