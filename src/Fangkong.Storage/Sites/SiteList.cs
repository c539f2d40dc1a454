using Dapper;

namespace Fangkong.Storage.Sites;

/// <summary>A quarantine site now: rooms by kind, how many are in use, the people in them, and who runs it.</summary>
public sealed record SiteNow(string SiteKey, string Name, string County, string? Address, int Rooms, int HouseholdRooms, int ReserveRooms, int OccupiedRooms, int Occupants, int Capacity);

public static class SiteList
{
    private sealed class Row
    {
        public string SiteKey { get; set; } = "";
        public string Name { get; set; } = "";
        public string County { get; set; } = "";
        public string? Address { get; set; }
        public long Rooms { get; set; }
        public long? HouseholdRooms { get; set; }
        public long? ReserveRooms { get; set; }
        public long? OccupiedRooms { get; set; }
        public long? Occupants { get; set; }
        public long? Capacity { get; set; }
    }

    /// <summary>The sites in a jurisdiction (county code prefix; empty = all), by county then key.</summary>
    public static async Task<List<SiteNow>> NowAsync(Database db, string prefix, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<Row>(new CommandDefinition("""
            SELECT q.site_key AS SiteKey, q.name AS Name, q.county_code AS County, q.address AS Address, COUNT(r.id) AS Rooms,
                   SUM(CASE WHEN r.kind = 'household' THEN 1 ELSE 0 END) AS HouseholdRooms,
                   SUM(CASE WHEN r.reserve = 1 THEN 1 ELSE 0 END) AS ReserveRooms,
                   SUM(CASE WHEN r.occupants > 0 THEN 1 ELSE 0 END) AS OccupiedRooms,
                   SUM(r.occupants) AS Occupants, SUM(r.capacity) AS Capacity
            FROM quarantine_sites q LEFT JOIN site_rooms r ON r.site_id = q.id
            WHERE q.county_code LIKE @like
            GROUP BY q.site_key, q.name, q.county_code, q.address
            ORDER BY q.county_code, q.site_key
            """, new { like = prefix + "%" }, cancellationToken: ct));
        return rows.Select(r => new SiteNow(r.SiteKey, r.Name, r.County, r.Address, (int)r.Rooms, (int)(r.HouseholdRooms ?? 0), (int)(r.ReserveRooms ?? 0),
            (int)(r.OccupiedRooms ?? 0), (int)(r.Occupants ?? 0), (int)(r.Capacity ?? 0))).ToList();
    }
}
