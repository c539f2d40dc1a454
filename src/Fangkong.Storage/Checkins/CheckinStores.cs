namespace Fangkong.Storage.Checkins;

public static class CheckinStores
{
    /// <summary>The check-in store that goes with a database: day segments beside SQLite, partitions in PostgreSQL.</summary>
    public static Task<ICheckinStore> OpenAsync(Database db, CancellationToken ct = default) => OpenAsync(db, StayKind.Checkins, ct);

    /// <summary>The store of one kind of stays (check-ins or grid stays).</summary>
    public static async Task<ICheckinStore> OpenAsync(Database db, StayKind kind, CancellationToken ct = default) =>
        db.Provider == StoreProvider.Sqlite ? await SegmentCheckinStore.OpenAsync(db, kind, ct) : new PostgresCheckinStore(db, kind);
}
