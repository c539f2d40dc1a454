using Dapper;
using Fangkong.Venues;

namespace Fangkong.Storage.Venues;

public sealed record StoredVenue(int Id, Venue Venue);

public static class VenueRepository
{
    private static readonly BulkTable Table = new("venues",
    [
        ("id", ColumnKind.Int), ("venue_key", ColumnKind.Text), ("name", ColumnKind.Text), ("type", ColumnKind.Text),
        ("community_code", ColumnKind.Text), ("capacity", ColumnKind.Int), ("enclosed", ColumnKind.Int),
    ], "id", UpdateOnConflict: true);

    public static async Task<List<StoredVenue>> LoadAllAsync(Database db, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<(long Id, string Key, string? Name, string Type, string? Community, long? Capacity, long? Enclosed)>(
            new CommandDefinition("SELECT id, venue_key, name, type, community_code, capacity, enclosed FROM venues ORDER BY id", cancellationToken: ct));
        return rows.Select(r => new StoredVenue((int)r.Id, new Venue(r.Key, r.Name, r.Type, r.Community, (int?)r.Capacity, r.Enclosed is null ? null : r.Enclosed != 0))).ToList();
    }

    public static Task<long> UpsertAsync(StoreSession s, IEnumerable<StoredVenue> venues, CancellationToken ct = default) =>
        BulkWriter.UpsertAsync(s, Table, venues.Select(v => new object?[]
        {
            v.Id, v.Venue.VenueKey, v.Venue.Name, v.Venue.Type, v.Venue.CommunityCode, v.Venue.Capacity,
            v.Venue.Enclosed is null ? null : v.Venue.Enclosed.Value ? 1 : 0,
        }), ct);
}
