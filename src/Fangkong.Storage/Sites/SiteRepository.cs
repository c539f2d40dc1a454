using System.Data.Common;
using Dapper;
using Fangkong.Text;
using Fangkong.Control;
using Fangkong.Jurisdictions;
using Fangkong.Sites;

namespace Fangkong.Storage.Sites;

/// <summary>A room to add: a single room (one person) or a household room (one household, up to its capacity); reserve rooms stay empty (备而不用).</summary>
public sealed record RoomSpec(string RoomNo, bool Household, int Capacity, bool Reserve);

/// <summary>A site's figures on one day.</summary>
public sealed record SiteOccupancy(string SiteKey, string Name, string County, int Rooms, int ReserveRooms, int OccupiedRooms, int Occupants, int FreeRooms);

/// <summary>A room with who is in it now.</summary>
public sealed record RoomState(long Id, string SiteKey, string RoomNo, bool Household, int Capacity, bool Reserve, int Occupants, string? HouseholdKey);

/// <summary>Where a person was placed.</summary>
public sealed record Placement(int PersonId, string SiteKey, string RoomNo);

/// <summary>
/// Where to place people: a site, a room of it, whether reserve rooms (备而不用) may be opened, and the
/// reason for splitting a household over rooms when no room takes it whole (no reason: never split).
/// </summary>
public sealed record RoomChoice(string? SiteKey = null, string? RoomNo = null, bool UseReserve = false, string? SplitReason = null);

/// <summary>
/// Quarantine sites (集中隔离点): rooms, staff, occupancy by day, and assignment that suggests a site
/// in the person's county with free rooms, never overfills a room and keeps a household together.
/// </summary>
public static class SiteRepository
{
    public static async Task AddSiteAsync(Database db, string key, string name, JurisdictionCode county, string? address, IReadOnlyList<RoomSpec> rooms, CancellationToken ct = default)
    {
        if (county.Level != JurisdictionLevel.County)
        {
            throw new RefusedException($"{county} is not a county code (6 digits, e.g. 640104)");
        }
        await using var s = await StoreSession.BeginAsync(db, ct);
        if (await s.Connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM quarantine_sites WHERE site_key = @key", new { key }, s.Transaction, cancellationToken: ct)) > 0)
        {
            throw new RefusedException($"site '{key}' already exists; add rooms to it instead");
        }
        await s.Connection.ExecuteAsync(new CommandDefinition("INSERT INTO quarantine_sites (site_key, name, county_code, address, created_at) VALUES (@key, @name, @county, @address, @now)",
            new { key, name, county = county.Value, address, now = db.Now }, s.Transaction, cancellationToken: ct));
        await AddRoomsAsync(s, key, rooms, ct);
        await s.CommitAsync(ct);
    }

    public static async Task AddRoomsAsync(Database db, string siteKey, IReadOnlyList<RoomSpec> rooms, CancellationToken ct = default)
    {
        await using var s = await StoreSession.BeginAsync(db, ct);
        await AddRoomsAsync(s, siteKey, rooms, ct);
        await s.CommitAsync(ct);
    }

    private static async Task AddRoomsAsync(StoreSession s, string siteKey, IReadOnlyList<RoomSpec> rooms, CancellationToken ct)
    {
        var site = await SiteIdAsync(s.Connection, s.Transaction, siteKey, ct);
        foreach (var r in rooms)
        {
            if (r.Capacity < 1 || (!r.Household && r.Capacity != 1))
            {
                throw new RefusedException($"room {r.RoomNo}: a single room holds 1 person; a household room at least 1");
            }
            var n = await s.Connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO site_rooms (site_id, room_no, kind, capacity, reserve) VALUES (@site, @RoomNo, @kind, @Capacity, @reserve) ON CONFLICT (site_id, room_no) DO NOTHING",
                new { site, r.RoomNo, kind = r.Household ? "household" : "single", r.Capacity, reserve = r.Reserve ? 1 : 0 }, s.Transaction, cancellationToken: ct));
            if (n == 0)
            {
                throw new RefusedException($"site '{siteKey}' already has a room {r.RoomNo}");
            }
        }
    }

    public static async Task AddStaffAsync(Database db, string siteKey, string staffKey, string duty, CancellationToken ct = default)
    {
        await using var s = await StoreSession.BeginAsync(db, ct);
        var site = await SiteIdAsync(s.Connection, s.Transaction, siteKey, ct);
        var staff = await s.Connection.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT id FROM staff WHERE staff_key = @staffKey", new { staffKey }, s.Transaction, cancellationToken: ct))
            ?? throw new RefusedException($"no staff with staff_key '{staffKey}'", "staff.missing", staffKey);
        await s.Connection.ExecuteAsync(new CommandDefinition("INSERT INTO site_staff (site_id, staff_id, duty) VALUES (@site, @staff, @duty) ON CONFLICT (site_id, staff_id) DO UPDATE SET duty = excluded.duty",
            new { site, staff, duty }, s.Transaction, cancellationToken: ct));
        await s.CommitAsync(ct);
    }

    /// <summary>Each site's rooms and occupants on <paramref name="day"/> (people in a room at any time that day).</summary>
    public static async Task<List<SiteOccupancy>> OccupancyAsync(Database db, DateOnly day, CancellationToken ct = default)
    {
        var from = db.Calendar.StartOfDay(day);
        var to = db.Calendar.StartOfDay(day.AddDays(1));
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<(string Key, string Name, string County, long Rooms, long Reserve, long Occupied, long Occupants)>(new CommandDefinition("""
            SELECT q.site_key, q.name, q.county_code,
                   (SELECT COUNT(*) FROM site_rooms r WHERE r.site_id = q.id),
                   (SELECT COUNT(*) FROM site_rooms r WHERE r.site_id = q.id AND r.reserve = 1),
                   (SELECT COUNT(DISTINCT s.room_id) FROM room_stays s JOIN site_rooms r ON r.id = s.room_id WHERE r.site_id = q.id AND s.checked_in < @to AND (s.checked_out IS NULL OR s.checked_out > @from)),
                   (SELECT COUNT(*) FROM room_stays s JOIN site_rooms r ON r.id = s.room_id WHERE r.site_id = q.id AND s.checked_in < @to AND (s.checked_out IS NULL OR s.checked_out > @from))
            FROM quarantine_sites q ORDER BY q.county_code, q.site_key
            """, new { from, to }, cancellationToken: ct));
        return rows.Select(r => new SiteOccupancy(r.Key, r.Name, r.County, (int)r.Rooms, (int)r.Reserve, (int)r.Occupied, (int)r.Occupants, (int)(r.Rooms - r.Reserve - r.Occupied))).ToList();
    }

    /// <summary>The rooms of a site with their occupants now.</summary>
    public static async Task<List<RoomState>> RoomsAsync(Database db, string siteKey, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var site = await SiteIdAsync(c, null, siteKey, ct);
        return await RoomsAsync(c, null, "r.site_id = @site", new { site }, ct);
    }

    private static async Task<List<RoomState>> RoomsAsync(DbConnection c, DbTransaction? tx, string where, object args, CancellationToken ct)
    {
        var rows = await c.QueryAsync<(long Id, string Site, string RoomNo, string Kind, long Capacity, long Reserve, long Occupants, string? Household)>(new CommandDefinition($"""
            SELECT r.id, q.site_key, r.room_no, r.kind, r.capacity, r.reserve, r.occupants, r.household
            FROM site_rooms r JOIN quarantine_sites q ON q.id = r.site_id WHERE {where} ORDER BY q.site_key, r.room_no
            """, args, tx, cancellationToken: ct));
        return rows.Select(r => new RoomState(r.Id, r.Site, r.RoomNo, r.Kind == "household", (int)r.Capacity, r.Reserve != 0, (int)r.Occupants, r.Household)).ToList();
    }

    /// <summary>
    /// Places people who are under a centralized-quarantine order in rooms. People of one household
    /// (same community and address) share a household room, joining their household if it is already
    /// there, and household members still waiting for a room come along; everyone else gets a single room. Without <paramref name="siteKey"/> the site is chosen
    /// in the person's county, most free rooms first. All or nothing.
    /// </summary>
    /// <summary>Where the person stays now (an open room stay), if anywhere.</summary>
    public static async Task<Placement?> StayOfAsync(Database db, int personId, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var row = (await c.QueryAsync<(string Site, string Room)>(new CommandDefinition(
            "SELECT q.site_key, r.room_no FROM room_stays s JOIN site_rooms r ON r.id = s.room_id JOIN quarantine_sites q ON q.id = r.site_id WHERE s.person_id = @personId AND s.checked_out IS NULL",
            new { personId }, cancellationToken: ct))).FirstOrDefault();
        return row.Site is null ? null : new Placement(personId, row.Site, row.Room);
    }

    /// <summary>The county of a site, or null when there is no such site.</summary>
    public static async Task<string?> CountyOfAsync(Database db, string siteKey, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return await c.ExecuteScalarAsync<string?>(new CommandDefinition("SELECT county_code FROM quarantine_sites WHERE site_key = @siteKey", new { siteKey }, cancellationToken: ct));
    }

    public static async Task<List<Placement>> AssignAsync(Database db, IReadOnlyList<int> personIds, RoomChoice choice, string actor, CancellationToken ct = default)
    {
        await using var s = await StoreSession.BeginAsync(db, ct);
        var placements = await AssignAsync(s, personIds, choice, actor, ct);
        await s.CommitAsync(ct);
        return placements;
    }

    /// <summary>The assignment inside a caller's transaction; a refusal is thrown before anything is written.</summary>
    public static async Task<List<Placement>> AssignAsync(StoreSession s, IReadOnlyList<int> personIds, RoomChoice choice, string actor, CancellationToken ct)
    {
        var (siteKey, roomNo, useReserve) = (choice.SiteKey, choice.RoomNo, choice.UseReserve);
        var split = choice.SplitReason is not null && roomNo is null;
        if (personIds.Count == 0)
        {
            throw new RefusedException("name at least one person to place", "place.nobody");
        }
        var db = s.Db;
        var (c, tx, now) = (s.Connection, s.Transaction, db.Now);
        if (db.Provider == StoreProvider.Postgres)
        {
            // Two officers placing people at once must not both see the same free room (SQLite's write transaction already serialises).
            await c.ExecuteAsync(new CommandDefinition("LOCK TABLE room_stays IN EXCLUSIVE MODE", transaction: tx, cancellationToken: ct));
        }
        // Household members waiting for a room come along, so that a household is never split.
        var wanted = new List<int>(personIds.Distinct());
        var ids = string.Join(",", wanted);
        var waiting = await c.QueryAsync<long>(new CommandDefinition($"""
            SELECT m.id FROM persons m
            WHERE m.community_code IN (SELECT community_code FROM persons WHERE id IN ({ids}))
              AND EXISTS (SELECT 1 FROM persons p WHERE p.id IN ({ids}) AND p.community_code = m.community_code AND p.address = m.address AND p.address <> '')
              AND m.id NOT IN ({ids})
              AND EXISTS (SELECT 1 FROM control_orders o WHERE o.person_id = m.id AND o.active = 1 AND o.measure = 'centralized_quarantine' AND o.status IN ({StatusSets.Sql(StatusSets.BeforeTransfer)}))
              AND NOT EXISTS (SELECT 1 FROM room_stays s WHERE s.person_id = m.id AND s.checked_out IS NULL)
            """, transaction: tx, cancellationToken: ct));
        wanted.AddRange(waiting.Select(m => (int)m).Where(m => !wanted.Contains(m)));
        var people = new List<(int Person, long Order, string Household, string County)>();
        foreach (var id in wanted)
        {
            var row = await c.QuerySingleOrDefaultAsync<(long Order, string Measure, string? Community, string? Address, string Key)>(new CommandDefinition(
                "SELECT o.id, o.measure, p.community_code, COALESCE(o.home_address, p.address), p.person_key FROM persons p LEFT JOIN control_orders o ON o.person_id = p.id AND o.active = 1 WHERE p.id = @id",
                new { id }, tx, cancellationToken: ct));
            if (row.Order == 0 || row.Measure != ControlMeasure.CentralizedQuarantine.ToCode())
            {
                throw new RefusedException($"person {row.Key} has no active centralized-quarantine order", "place.notCentralized", row.Key);
            }
            if (await c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM room_stays WHERE person_id = @id AND checked_out IS NULL", new { id }, tx, cancellationToken: ct)) > 0)
            {
                throw new RefusedException($"person {row.Key} is already in a room; check them out first", "place.inRoom", row.Key);
            }
            var county = row.Community is null ? "" : Scope.CountyOf(row.Community);
            people.Add((id, row.Order, $"{row.Community}|{row.Address ?? row.Key}", county));
        }
        var placements = new List<Placement>();
        foreach (var household in people.GroupBy(p => p.Household, StringComparer.Ordinal))
        {
            var members = household.ToList();
            var county = members[0].County;
            if (await ChooseRoomAsync(c, tx, county, household.Key, members.Count, siteKey, roomNo, useReserve, orNone: split, ct) is { } room)
            {
                await CheckInAsync(room, members, LoopLog.Write("room", room.SiteKey, room.RoomNo));
                continue;
            }
            // No room takes the whole household: with a reason, it is split over as few rooms as will hold it,
            // rooms it already has places in first, then the household rooms with most places, then single rooms.
            var parts = new List<(RoomState Room, List<(int Person, long Order, string Household, string County)> Members)>();
            var left = new Queue<(int Person, long Order, string Household, string County)>(members);
            while (left.Count > 0)
            {
                var part = await SuggestPartAsync(c, tx, siteKey is null ? "q.county_code = @county" : "q.site_key = @siteKey", county, siteKey, household.Key, useReserve, ct)
                    ?? (siteKey is null ? await SuggestPartAsync(c, tx, "1 = 1", county, null, household.Key, useReserve, ct) : null)
                    ?? throw new RefusedException($"no quarantine room is left for {left.Count} of the household of {members.Count}, even split over rooms; open reserve rooms or add a site", "sites.fullSplit", left.Count, members.Count);
                var take = part.Household ? Math.Min(left.Count, part.Capacity - part.Occupants) : 1;
                var group = Enumerable.Range(0, take).Select(_ => left.Dequeue()).ToList();
                await InsertStaysAsync(part, group);
                await RefreshRoomsAsync(c, tx, [part.Id], ct);
                parts.Add((part, group));
            }
            foreach (var (part, group) in parts)
            {
                await EventsAsync(part, group, LoopLog.Write("roomSplit", part.SiteKey, part.RoomNo, Phrase.Number(members.Count), Phrase.Number(parts.Count), choice.SplitReason));
            }
        }
        return placements;

        async Task CheckInAsync(RoomState room, List<(int Person, long Order, string Household, string County)> members, string detail)
        {
            await InsertStaysAsync(room, members);
            await EventsAsync(room, members, detail);
            await RefreshRoomsAsync(c, tx, [room.Id], ct);
        }

        async Task InsertStaysAsync(RoomState room, List<(int Person, long Order, string Household, string County)> members)
        {
            foreach (var m in members)
            {
                await c.ExecuteAsync(new CommandDefinition("INSERT INTO room_stays (room_id, order_id, person_id, household, checked_in) VALUES (@Id, @Order, @Person, @Household, @now)",
                    new { room.Id, m.Order, m.Person, m.Household, now }, tx, cancellationToken: ct));
            }
        }

        async Task EventsAsync(RoomState room, List<(int Person, long Order, string Household, string County)> members, string detail)
        {
            foreach (var m in members)
            {
                await c.ExecuteAsync(new CommandDefinition("INSERT INTO control_events (order_id, at, actor, from_status, to_status, detail) SELECT id, @now, @actor, status, status, @detail FROM control_orders WHERE id = @Order",
                    new { now, actor, detail, m.Order }, tx, cancellationToken: ct));
                placements.Add(new Placement(m.Person, room.SiteKey, room.RoomNo));
            }
        }
    }

    /// <summary>
    /// A room for part of a household being split: any room that takes at least one of its members, the
    /// rooms it already occupies first, then regular before reserve, then the most free places.
    /// </summary>
    private static async Task<RoomState?> SuggestPartAsync(DbConnection c, DbTransaction tx, string scope, string county, string? siteKey, string household, bool useReserve, CancellationToken ct)
    {
        var row = await c.QueryFirstOrDefaultAsync<(long Id, string Site, string RoomNo, string Kind, long Capacity, long Reserve, long Occupants, string? Household)?>(new CommandDefinition($"""
            SELECT r.id, q.site_key, r.room_no, r.kind, r.capacity, r.reserve, r.occupants, r.household
            FROM site_rooms r JOIN quarantine_sites q ON q.id = r.site_id
            WHERE {scope}
              AND {RoomFit.Sql("r")}
            ORDER BY CASE WHEN r.household = @household THEN 0 ELSE 1 END, r.reserve, r.capacity - r.occupants DESC, q.site_key, r.room_no
            LIMIT 1
            """, new { county, siteKey, household, size = 1, useReserve = useReserve ? 1 : 0 }, tx, cancellationToken: ct));
        return row is { } r ? new RoomState(r.Id, r.Site, r.RoomNo, r.Kind == "household", (int)r.Capacity, r.Reserve != 0, (int)r.Occupants, r.Household) : null;
    }

    private static async Task<RoomState?> ChooseRoomAsync(DbConnection c, DbTransaction tx, string county, string household, int size, string? siteKey, string? roomNo, bool useReserve, bool orNone, CancellationToken ct)
    {
        bool Fits(RoomState r) => RoomFit.Fits(new RoomOccupancy(r.Household, r.Capacity, r.Reserve, r.Occupants, r.HouseholdKey), household, size, useReserve);
        if (siteKey is not null)
        {
            var site = await SiteIdAsync(c, tx, siteKey, ct);
            var rooms = await RoomsAsync(c, tx, "r.site_id = @site", new { site }, ct);
            if (roomNo is not null)
            {
                var room = rooms.FirstOrDefault(r => r.RoomNo == roomNo) ?? throw new RefusedException($"site '{siteKey}' has no room {roomNo}", "room.missing", siteKey, roomNo);
                if (room.Reserve && !useReserve && room.Occupants == 0)
                {
                    throw new RefusedException($"room {roomNo} is a reserve room (备而不用); open reserve rooms to use it", "room.reserve", roomNo);
                }
                if (!Fits(room))
                {
                    throw room.Occupants >= room.Capacity || (!room.Household && size > 1)
                        ? new RefusedException($"room {roomNo} is full ({room.Occupants} of {room.Capacity})" + (size > 1 && !room.Household ? $"; a household of {size} needs a household room" : ""), "room.full", roomNo, room.Occupants, room.Capacity)
                        : room.Occupants + size > room.Capacity ? new RefusedException($"room {roomNo} has {room.Capacity - room.Occupants} free place(s), the household needs {size}", "room.tooSmall", roomNo, room.Capacity - room.Occupants, size)
                        : new RefusedException($"room {roomNo} is taken by another household; a room holds one household", "room.otherHousehold", roomNo);
                }
                return room;
            }
            return await SuggestAsync(c, tx, "q.id = @site", county, household, size, useReserve, ct, site)
                ?? (orNone ? null : throw new RefusedException($"site '{siteKey}' has no free room for {(size > 1 ? $"a household of {size}" : "one person")}; split the household (with a reason), choose another site or open reserve rooms", "site.full", siteKey, size));
        }
        return await SuggestAsync(c, tx, "q.county_code = @county", county, household, size, useReserve, ct)
            ?? await SuggestAsync(c, tx, "1 = 1", county, household, size, useReserve, ct)
            ?? (orNone ? null : throw new RefusedException($"no quarantine site has a free room for {(size > 1 ? $"a household of {size}" : "one person")}; split the household (with a reason), open reserve rooms or add a site", "sites.full", size));
    }

    /// <summary>
    /// The best room that fits, in one query: the household's own room first, then (for one person)
    /// a single room before a household room, then a regular room before a reserve one, then the
    /// site with the most free rooms.
    /// </summary>
    private static async Task<RoomState?> SuggestAsync(DbConnection c, DbTransaction tx, string scope, string county, string household, int size, bool useReserve, CancellationToken ct, long site = 0)
    {
        var row = await c.QueryFirstOrDefaultAsync<(long Id, string Site, string RoomNo, string Kind, long Capacity, long Reserve, long Occupants, string? Household)?>(new CommandDefinition($"""
            SELECT r.id, q.site_key, r.room_no, r.kind, r.capacity, r.reserve, r.occupants, r.household
            FROM site_rooms r JOIN quarantine_sites q ON q.id = r.site_id
            LEFT JOIN (SELECT site_id, COUNT(*) AS n FROM site_rooms WHERE occupants = 0 AND reserve = 0 GROUP BY site_id) f ON f.site_id = r.site_id
            WHERE {scope}
              AND {RoomFit.Sql("r")}
            ORDER BY CASE WHEN r.household = @household THEN 0 ELSE 1 END, CASE WHEN r.kind = 'household' AND @size = 1 THEN 1 ELSE 0 END,
                     r.reserve, COALESCE(f.n, 0) DESC, q.site_key, r.room_no
            LIMIT 1
            """, new { county, household, size, useReserve = useReserve ? 1 : 0, site }, tx, cancellationToken: ct));
        return row is { } r ? new RoomState(r.Id, r.Site, r.RoomNo, r.Kind == "household", (int)r.Capacity, r.Reserve != 0, (int)r.Occupants, r.Household) : null;
    }

    /// <summary>Brings the rooms' occupancy mirror in step with their open stays.</summary>
    internal static Task<int> RefreshRoomsAsync(DbConnection c, DbTransaction tx, IReadOnlyCollection<long> roomIds, CancellationToken ct) =>
        roomIds.Count == 0 ? Task.FromResult(0) : c.ExecuteAsync(new CommandDefinition($"""
            UPDATE site_rooms SET
                occupants = (SELECT COUNT(*) FROM room_stays s WHERE s.room_id = site_rooms.id AND s.checked_out IS NULL),
                household = (SELECT MIN(s.household) FROM room_stays s WHERE s.room_id = site_rooms.id AND s.checked_out IS NULL)
            WHERE id IN ({string.Join(",", roomIds)})
            """, transaction: tx, cancellationToken: ct));

    /// <summary>Checks out the open stays of orders (release, conversion to case), keeping the rooms' mirror in step.</summary>
    internal static async Task CheckOutOrdersAsync(DbConnection c, DbTransaction tx, IReadOnlyCollection<long> orderIds, long now, CancellationToken ct)
    {
        if (orderIds.Count == 0)
        {
            return;
        }
        var ids = string.Join(",", orderIds);
        var rooms = (await c.QueryAsync<long>(new CommandDefinition($"SELECT DISTINCT room_id FROM room_stays WHERE order_id IN ({ids}) AND checked_out IS NULL", transaction: tx, cancellationToken: ct))).ToList();
        await c.ExecuteAsync(new CommandDefinition($"UPDATE room_stays SET checked_out = @now WHERE order_id IN ({ids}) AND checked_out IS NULL", new { now }, tx, cancellationToken: ct));
        await RefreshRoomsAsync(c, tx, rooms, ct);
    }

    public static async Task<Placement> CheckOutAsync(Database db, int personId, string actor, CancellationToken ct = default)
    {
        await using var s = await StoreSession.BeginAsync(db, ct);
        var stay = await s.Connection.QuerySingleOrDefaultAsync<(long Id, long Order, string Site, string Room, long RoomId)>(new CommandDefinition(
            "SELECT s.id, s.order_id, q.site_key, r.room_no, r.id FROM room_stays s JOIN site_rooms r ON r.id = s.room_id JOIN quarantine_sites q ON q.id = r.site_id WHERE s.person_id = @personId AND s.checked_out IS NULL",
            new { personId }, s.Transaction, cancellationToken: ct));
        if (stay.Id == 0)
        {
            throw new RefusedException("the person is not in a room", "room.notIn");
        }
        await s.Connection.ExecuteAsync(new CommandDefinition("UPDATE room_stays SET checked_out = @now WHERE id = @Id", new { now = db.Now, stay.Id }, s.Transaction, cancellationToken: ct));
        await RefreshRoomsAsync(s.Connection, s.Transaction, [stay.RoomId], ct);
        await s.Connection.ExecuteAsync(new CommandDefinition("INSERT INTO control_events (order_id, at, actor, from_status, to_status, detail) SELECT id, @now, @actor, status, status, @detail FROM control_orders WHERE id = @Order",
            new { now = db.Now, actor, detail = LoopLog.Write("checkedOut", stay.Site, stay.Room), stay.Order }, s.Transaction, cancellationToken: ct));
        await s.CommitAsync(ct);
        return new Placement(personId, stay.Site, stay.Room);
    }

    private static async Task<long> SiteIdAsync(DbConnection c, DbTransaction? tx, string key, CancellationToken ct) =>
        await c.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT id FROM quarantine_sites WHERE site_key = @key", new { key }, tx, cancellationToken: ct))
        ?? throw new RefusedException($"no quarantine site '{key}'", "site.missing", key);
}
