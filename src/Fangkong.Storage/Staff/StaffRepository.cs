using Dapper;
using Fangkong.Control;
using Fangkong.Jurisdictions;
using Fangkong.Staff;

namespace Fangkong.Storage.Staff;

/// <summary>A member of staff: the owner of tasks and the monitor (包保责任人) of controlled people. Sign-in builds on the same record.</summary>
public sealed record StaffMember(long Id, string Key, string Name, StaffRole Role, JurisdictionCode Jurisdiction, string? Phone, bool Active);

public static class StaffRepository
{
    private sealed class Row
    {
        public long Id { get; set; }
        public string StaffKey { get; set; } = "";
        public string Name { get; set; } = "";
        public string Role { get; set; } = "";
        public string JurisdictionText { get; set; } = "";
        public string? Phone { get; set; }
        public long Active { get; set; }

        public StaffMember ToMember() =>
            new(Id, StaffKey, Name, StaffRoles.TryParse(Role, out var r) ? r : StaffRole.Auditor, JurisdictionCode.Parse(JurisdictionText), Phone, Active != 0);
    }

    private const string Columns = "id AS Id, staff_key AS StaffKey, name AS Name, role AS Role, jurisdiction_code AS JurisdictionText, phone AS Phone, active AS Active";

    /// <summary>Adds staff; a key that exists is refused.</summary>
    public static async Task AddAsync(StoreSession s, IEnumerable<(string Key, string Name, StaffRole Role, JurisdictionCode Jurisdiction, string? Phone)> staff, CancellationToken ct = default)
    {
        var now = s.Db.Now;
        foreach (var m in staff)
        {
            var exists = await s.Connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM staff WHERE staff_key = @Key", new { m.Key }, s.Transaction, cancellationToken: ct));
            if (exists > 0)
            {
                throw new RefusedException($"staff_key '{m.Key}' already exists");
            }
            await s.Connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO staff (staff_key, name, role, jurisdiction_code, phone, active, created_at) VALUES (@Key, @Name, @Role, @Jurisdiction, @Phone, 1, @now)",
                new { m.Key, m.Name, Role = m.Role.ToCode(), Jurisdiction = m.Jurisdiction.Value, m.Phone, now }, s.Transaction, cancellationToken: ct));
        }
    }

    public static async Task<List<StaffMember>> ListAsync(Database db, JurisdictionCode? within = null, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<Row>(new CommandDefinition($"SELECT {Columns} FROM staff ORDER BY jurisdiction_code, role, staff_key", cancellationToken: ct));
        return rows.Select(r => r.ToMember()).Where(m => within is null || within.Value.Contains(m.Jurisdiction)).ToList();
    }

    public static async Task<StaffMember?> FindAsync(Database db, string key, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<Row>(new CommandDefinition($"SELECT {Columns} FROM staff WHERE staff_key = @key", new { key }, cancellationToken: ct));
        return row?.ToMember();
    }

    public static async Task<StaffMember?> FindAsync(Database db, long id, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<Row>(new CommandDefinition($"SELECT {Columns} FROM staff WHERE id = @id", new { id }, cancellationToken: ct));
        return row?.ToMember();
    }
}
