using Dapper;

namespace Fangkong.Storage;

/// <summary>
/// A store-wide simulated time (for the demo and for exercises): while set, every command on the
/// store runs at that instant unless it is given --now. Cleared, the store follows the system clock.
/// </summary>
public static class SimulatedClock
{
    public static async Task<long?> ReadAsync(Database db, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var text = await c.ExecuteScalarAsync<string?>(new CommandDefinition("SELECT value FROM settings WHERE key = 'clock'", cancellationToken: ct));
        return long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var t) ? t : null;
    }

    /// <summary>Sets the simulated time, or clears it with null.</summary>
    public static async Task SetAsync(Database db, long? unixSeconds, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await c.ExecuteAsync(new CommandDefinition("DELETE FROM settings WHERE key = 'clock'", cancellationToken: ct));
        if (unixSeconds is { } t)
        {
            await c.ExecuteAsync(new CommandDefinition("INSERT INTO settings (key, value) VALUES ('clock', @v)",
                new { v = t.ToString(System.Globalization.CultureInfo.InvariantCulture) }, cancellationToken: ct));
        }
    }
}
