using Dapper;
using Fangkong.Venues;

namespace Fangkong.Storage.Venues;

public sealed record StoredVenue(int Id, Venue Venue);

public static class VenueRepository
{
    private static readonly BulkTable<StoredVenue> Table = BulkTable<StoredVenue>.Of("venues", "id", updateOnConflict: true)
        .Int("id", v => v.Id).Text("venue_key", v => v.Venue.VenueKey).Text("name", v => v.Venue.Name).Text("type", v => v.Venue.Type)
        .Text("community_code", v => v.Venue.CommunityCode).Int("capacity", v => v.Venue.Capacity).Int("enclosed", v => v.Venue.Enclosed is null ? null : v.Venue.Enclosed.Value ? 1 : 0);

    public static async Task<List<StoredVenue>> LoadAllAsync(Database db, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<(long Id, string Key, string? Name, string Type, string? Community, long? Capacity, long? Enclosed)>(
            new CommandDefinition("SELECT id, venue_key, name, type, community_code, capacity, enclosed FROM venues ORDER BY id", cancellationToken: ct));
        return rows.Select(r => new StoredVenue((int)r.Id, new Venue(r.Key, r.Name, r.Type, r.Community, (int?)r.Capacity, r.Enclosed is null ? null : r.Enclosed != 0))).ToList();
    }

    public static Task<long> UpsertAsync(StoreSession s, IEnumerable<StoredVenue> venues, CancellationToken ct = default) =>
        BulkWriter.UpsertAsync(s, Table, venues, ct);
}
