namespace Fangkong.Storage.Checkins;

public static class CheckinStores
{
    /// <summary>The check-in store that goes with a database: day segments beside SQLite, partitions in PostgreSQL.</summary>
    public static async Task<ICheckinStore> OpenAsync(Database db, CancellationToken ct = default) =>
        db.Provider == StoreProvider.Sqlite ? await SegmentCheckinStore.OpenAsync(db, ct) : new PostgresCheckinStore(db);
}
