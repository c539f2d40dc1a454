using Dapper;
using Fangkong.Sites;
using Microsoft.Data.Sqlite;

namespace Fangkong.Tests.Control;

/// <summary>The room fit said once: the SQL condition of the suggestion query and the C# rule agree on every kind of room, household and size.</summary>
public sealed class RoomFitTests
{
    [Fact]
    public void HandWorked_OnePersonOrOneHouseholdARoom_ReserveOnlyWhenOpened()
    {
        Assert.True(RoomFit.Fits(new RoomOccupancy(false, 1, false, 0, null), "h1", 1, false));
        Assert.False(RoomFit.Fits(new RoomOccupancy(false, 1, false, 0, null), "h1", 2, false));       // a household needs a household room
        Assert.True(RoomFit.Fits(new RoomOccupancy(true, 4, false, 2, "h1"), "h1", 2, false));         // its own room, two places left
        Assert.False(RoomFit.Fits(new RoomOccupancy(true, 4, false, 1, "h2"), "h1", 1, false));        // another household's room
        Assert.False(RoomFit.Fits(new RoomOccupancy(true, 4, false, 0, null), "h1", 5, false));        // too small
        Assert.False(RoomFit.Fits(new RoomOccupancy(false, 1, true, 0, null), "h1", 1, false));        // reserve, not opened
        Assert.True(RoomFit.Fits(new RoomOccupancy(false, 1, true, 0, null), "h1", 1, true));
        Assert.True(RoomFit.Fits(new RoomOccupancy(true, 3, true, 1, "h1"), "h1", 1, false));          // a reserve room already in use
    }

    [Fact]
    public async Task TheSqlCondition_AgreesWithTheRule_OnEveryCombination()
    {
        await using var c = new SqliteConnection("Data Source=:memory:");
        await c.OpenAsync();
        await c.ExecuteAsync("CREATE TABLE site_rooms (id INTEGER PRIMARY KEY, kind TEXT, capacity INTEGER, reserve INTEGER, occupants INTEGER, household TEXT)");
        var rooms = new List<RoomOccupancy>();
        foreach (var household in new[] { false, true })
        {
            foreach (var capacity in household ? new[] { 2, 3, 5 } : [1])
            {
                foreach (var reserve in new[] { false, true })
                {
                    for (var occupants = 0; occupants <= capacity; occupants++)
                    {
                        foreach (var key in occupants == 0 ? new string?[] { null } : ["h1", "h2"])
                        {
                            rooms.Add(new RoomOccupancy(household, capacity, reserve, occupants, key));
                        }
                    }
                }
            }
        }
        for (var i = 0; i < rooms.Count; i++)
        {
            var r = rooms[i];
            await c.ExecuteAsync("INSERT INTO site_rooms VALUES (@id, @kind, @capacity, @reserve, @occupants, @household)",
                new { id = i, kind = r.HouseholdRoom ? "household" : "single", capacity = r.Capacity, reserve = r.Reserve ? 1 : 0, occupants = r.Occupants, household = r.Household });
        }
        foreach (var size in new[] { 1, 2, 3, 4 })
        {
            foreach (var useReserve in new[] { false, true })
            {
                var bySql = (await c.QueryAsync<long>($"SELECT id FROM site_rooms r WHERE {RoomFit.Sql("r")} ORDER BY id",
                    new { size, household = "h1", useReserve = useReserve ? 1 : 0 })).Select(id => (int)id).ToList();
                var byRule = Enumerable.Range(0, rooms.Count).Where(i => RoomFit.Fits(rooms[i], "h1", size, useReserve)).ToList();
                Assert.Equal(byRule, bySql);
            }
        }
    }
}
