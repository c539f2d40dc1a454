using Dapper;
using Fangkong.Venues;

namespace Fangkong.Storage.Venues;

public sealed record StoredVenue(int Id, Venue Venue);

public static class VenueRepository
{
    private static readonly BulkTable<StoredVenue> Table = BulkTable<StoredVenue>.Of("venues", "id", updateOnConflict: true)
        .Int("id", v => v.Id).Text("venue_key", v => v.Venue.VenueKey).Text("name", v => v.Venue.Name).Text("type", v => v.Venue.Type)
        .Text("community_code", v => v.Venue.CommunityCode).Int("capacity", v => v.Venue.Capacity).Int("enclosed", v => v.Venue.Enclosed is null ? null : v.Venue.Enclosed.Value ? 1 : 0);

    private const string Columns = "id, venue_key, name, type, community_code, capacity, enclosed";

    public static async Task<List<StoredVenue>> LoadAllAsync(Database db, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return await ReadAsync(c, $"SELECT {Columns} FROM venues ORDER BY id", ct);
    }

    /// <summary>The venues with these ids (unknown ids are left out), read in chunks.</summary>
    public static async Task<Dictionary<int, StoredVenue>> LoadByIdsAsync(Database db, IEnumerable<int> ids, CancellationToken ct = default)
    {
        var result = new Dictionary<int, StoredVenue>();
        await using var c = await db.OpenConnectionAsync(ct);
        foreach (var chunk in ids.Distinct().Chunk(500))
        {
            foreach (var v in await ReadAsync(c, $"SELECT {Columns} FROM venues WHERE id IN ({string.Join(",", chunk)})", ct))
            {
                result[v.Id] = v;
            }
        }
        return result;
    }

    /// <summary>Every venue's type by id: all that tracing needs of a venue (its minimum overlap), without the rest of the row.</summary>
    public static async Task<List<(int Id, string Type)>> TypesAsync(Database db, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var result = new List<(int, string)>();
        await using var reader = await c.ExecuteReaderAsync(new CommandDefinition("SELECT id, type FROM venues", cancellationToken: ct));
        while (await reader.ReadAsync(ct))
        {
            result.Add((Convert.ToInt32(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture), reader.GetString(1)));
        }
        return result;
    }

    private static async Task<List<StoredVenue>> ReadAsync(System.Data.Common.DbConnection c, string sql, CancellationToken ct)
    {
        var rows = await c.QueryAsync<(long Id, string Key, string? Name, string Type, string? Community, long? Capacity, long? Enclosed)>(
            new CommandDefinition(sql, cancellationToken: ct));
        return rows.Select(r => new StoredVenue((int)r.Id, new Venue(r.Key, r.Name, r.Type, r.Community, (int?)r.Capacity, r.Enclosed is null ? null : r.Enclosed != 0))).ToList();
    }

    public static Task<long> UpsertAsync(StoreSession s, IEnumerable<StoredVenue> venues, CancellationToken ct = default) =>
        BulkWriter.UpsertAsync(s, Table, venues, ct);
}
