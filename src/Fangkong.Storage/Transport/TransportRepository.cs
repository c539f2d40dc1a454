using Dapper;
using Fangkong.Tracing;

namespace Fangkong.Storage.Transport;

/// <summary>Journeys on flights, trains and sealed coaches; a journey already stored is not stored twice.</summary>
public static class TransportRepository
{
    private static readonly BulkTable Table = new("transport_legs",
    [
        ("person_id", ColumnKind.Int), ("mode", ColumnKind.Text), ("number", ColumnKind.Text), ("departure", ColumnKind.Long), ("arrival", ColumnKind.Long),
        ("car", ColumnKind.Text), ("seat_row", ColumnKind.Int), ("seat", ColumnKind.Text),
    ], "person_id, mode, number, departure", UpdateOnConflict: true);

    public static Task<long> UpsertAsync(StoreSession s, IEnumerable<TransportLeg> legs, CancellationToken ct = default) =>
        BulkWriter.UpsertAsync(s, Table, legs.Select(l => new object?[] { l.Person, l.Mode.ToString().ToLowerInvariant(), l.Number, l.Departure, l.Arrival, l.Car, l.Row, l.Seat }), ct);

    public static async Task<List<TransportLeg>> LoadAllAsync(Database db, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<(long Person, string Mode, string Number, long Departure, long Arrival, string? Car, long? Row, string? Seat)>(new CommandDefinition(
            "SELECT person_id, mode, number, departure, arrival, car, seat_row, seat FROM transport_legs ORDER BY mode, number, departure, person_id", cancellationToken: ct));
        return rows.Select(r => new TransportLeg((int)r.Person, Enum.Parse<TransportMode>(r.Mode, ignoreCase: true), r.Number, r.Departure, r.Arrival, r.Car, (int?)r.Row, r.Seat)).ToList();
    }
}
