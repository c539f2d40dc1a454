using Dapper;
using Fangkong.Control;
using Fangkong.Jurisdictions;
using Fangkong.Staff;

namespace Fangkong.Storage.Accounts;

/// <summary>
/// A user who signs in: one role of SPEC 1, bound to one jurisdiction (属地), optionally the staff
/// member whose tasks are theirs, or (for a member of the public) the person record that is theirs. The
/// password hash is opaque here (a standard KDF's output).
/// </summary>
public sealed record Account(
    long Id, string Username, string DisplayName, StaffRole Role, JurisdictionCode Jurisdiction, long? StaffId,
    string PasswordHash, string Language, int FailedSignins, long? LockedUntil, bool Active)
{
    public long? PersonId { get; init; }
}

public static class AccountRepository
{
    private sealed class Row
    {
        public long Id { get; set; }
        public string Username { get; set; } = "";
        public string DisplayName { get; set; } = "";
        public string Role { get; set; } = "";
        public string Jurisdiction { get; set; } = "";
        public long? StaffId { get; set; }
        public string PasswordHash { get; set; } = "";
        public string Language { get; set; } = "";
        public long FailedSignins { get; set; }
        public long? LockedUntil { get; set; }
        public long Active { get; set; }
        public long? PersonId { get; set; }

        public Account ToAccount() => new(
            Id, Username, DisplayName, StaffRoles.TryParse(Role, out var r) ? r : StaffRole.Auditor, JurisdictionCode.Parse(Jurisdiction),
            StaffId, PasswordHash, Language, (int)FailedSignins, LockedUntil, Active != 0) { PersonId = PersonId };
    }

    private const string Columns =
        "id AS Id, username AS Username, display_name AS DisplayName, role AS Role, jurisdiction_code AS Jurisdiction, staff_id AS StaffId, " +
        "password_hash AS PasswordHash, language AS Language, failed_signins AS FailedSignins, locked_until AS LockedUntil, active AS Active, person_id AS PersonId";

    /// <summary>Adds an account; an existing username is refused.</summary>
    public static async Task<long> AddAsync(
        Database db, string username, string displayName, StaffRole role, JurisdictionCode jurisdiction, long? staffId, string passwordHash, long now, CancellationToken ct = default) =>
        await AddAsync(db, username, displayName, role, jurisdiction, staffId, null, passwordHash, now, ct);

    /// <summary>Adds an account; <paramref name="personId"/> names a member of the public's own record.</summary>
    public static async Task<long> AddAsync(
        Database db, string username, string displayName, StaffRole role, JurisdictionCode jurisdiction, long? staffId, long? personId, string passwordHash, long now, CancellationToken ct = default)
    {
        return await StoreSession.RunAsync(db, async s =>
        {
            var exists = await s.Connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM accounts WHERE username = @username", new { username }, s.Transaction, cancellationToken: ct));
            if (exists > 0)
            {
                throw new RefusedException($"username '{username}' already exists", "account.exists", username);
            }
            return await s.Connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "INSERT INTO accounts (username, display_name, role, jurisdiction_code, staff_id, person_id, password_hash, created_at) " +
                "VALUES (@username, @displayName, @Role, @Jurisdiction, @staffId, @personId, @passwordHash, @now) RETURNING id",
                new { username, displayName, Role = role.ToCode(), Jurisdiction = jurisdiction.Value, staffId, personId, passwordHash, now }, s.Transaction, cancellationToken: ct));
        }, ct);
    }

    public static async Task<Account?> FindAsync(Database db, string username, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<Row>(new CommandDefinition($"SELECT {Columns} FROM accounts WHERE username = @username", new { username }, cancellationToken: ct));
        return row?.ToAccount();
    }

    public static async Task<Account?> FindAsync(Database db, long id, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<Row>(new CommandDefinition($"SELECT {Columns} FROM accounts WHERE id = @id", new { id }, cancellationToken: ct));
        return row?.ToAccount();
    }

    public static async Task<List<Account>> ListAsync(Database db, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<Row>(new CommandDefinition($"SELECT {Columns} FROM accounts ORDER BY username", cancellationToken: ct));
        return rows.Select(r => r.ToAccount()).ToList();
    }

    public static async Task<int> RecordFailureAsync(Database db, long id, int limit, long lockUntil, CancellationToken ct = default)
    {
        return await StoreSession.RunAsync(db, async s =>
        {
            var failed = await s.Connection.ExecuteScalarAsync<int>(new CommandDefinition(
                "UPDATE accounts SET failed_signins = failed_signins + 1 WHERE id = @id RETURNING failed_signins", new { id }, s.Transaction, cancellationToken: ct));
            if (failed >= limit)
            {
                await s.Connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE accounts SET locked_until = @lockUntil, failed_signins = 0 WHERE id = @id", new { id, lockUntil }, s.Transaction, cancellationToken: ct));
            }
            return failed;
        }, ct);
    }

    /// <summary>When the account is locked for sign-ins from <paramref name="address"/>, or null.</summary>
    public static async Task<long?> LockedUntilAsync(Database db, long id, string address, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return await c.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT locked_until FROM signin_failures WHERE account_id = @id AND address = @address", new { id, address }, cancellationToken: ct));
    }

    /// <summary>The latest lock-out of the account from any address (for the operator's list), or null.</summary>
    public static async Task<long?> LatestLockAsync(Database db, long id, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return await c.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT MAX(locked_until) FROM signin_failures WHERE account_id = @id", new { id }, cancellationToken: ct));
    }

    /// <summary>
    /// Records a failed sign-in from <paramref name="address"/>; locks the account for that address until
    /// <paramref name="lockUntil"/> when its count reaches <paramref name="limit"/>. Returns the count.
    /// </summary>
    public static async Task<int> RecordFailureAsync(Database db, long id, string address, int limit, long lockUntil, CancellationToken ct = default)
    {
        return await StoreSession.RunAsync(db, async s =>
        {
            var failed = await s.Connection.ExecuteScalarAsync<int>(new CommandDefinition(
                "INSERT INTO signin_failures (account_id, address, failures) VALUES (@id, @address, 1) " +
                "ON CONFLICT (account_id, address) DO UPDATE SET failures = signin_failures.failures + 1 RETURNING failures",
                new { id, address }, s.Transaction, cancellationToken: ct));
            if (failed >= limit)
            {
                await s.Connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE signin_failures SET locked_until = @lockUntil, failures = 0 WHERE account_id = @id AND address = @address", new { id, address, lockUntil }, s.Transaction, cancellationToken: ct));
            }
            return failed;
        }, ct);
    }

    /// <summary>A sign-in from <paramref name="address"/> succeeded: its failures are forgotten.</summary>
    public static async Task ClearFailuresAsync(Database db, long id, string address, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await c.ExecuteAsync(new CommandDefinition("DELETE FROM signin_failures WHERE account_id = @id AND address = @address", new { id, address }, cancellationToken: ct));
    }

    public static async Task RecordSuccessAsync(Database db, long id, string? rehashed, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE accounts SET failed_signins = 0, locked_until = NULL, password_hash = COALESCE(@rehashed, password_hash) WHERE id = @id",
            new { id, rehashed }, cancellationToken: ct));
    }

    public static async Task SetLanguageAsync(Database db, long id, string language, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await c.ExecuteAsync(new CommandDefinition("UPDATE accounts SET language = @language WHERE id = @id", new { id, language }, cancellationToken: ct));
    }

    public static async Task SetRoleAsync(Database db, long id, StaffRole role, JurisdictionCode jurisdiction, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await c.ExecuteAsync(new CommandDefinition("UPDATE accounts SET role = @Role, jurisdiction_code = @Jurisdiction WHERE id = @id",
            new { id, Role = role.ToCode(), Jurisdiction = jurisdiction.Value }, cancellationToken: ct));
    }

    public static async Task SetActiveAsync(Database db, long id, bool active, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await c.ExecuteAsync(new CommandDefinition("UPDATE accounts SET active = @active WHERE id = @id", new { id, active = active ? 1 : 0 }, cancellationToken: ct));
    }

    public static async Task SetPasswordAsync(Database db, long id, string passwordHash, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE accounts SET password_hash = @passwordHash, failed_signins = 0, locked_until = NULL WHERE id = @id; DELETE FROM signin_failures WHERE account_id = @id",
            new { id, passwordHash }, cancellationToken: ct));
    }
}
