using Dapper;
using Fangkong.Tracing;

namespace Fangkong.Storage.Transport;

/// <summary>Journeys on flights, trains and sealed coaches; a journey already stored is not stored twice.</summary>
public static class TransportRepository
{
    private static readonly BulkTable<TransportLeg> Table = BulkTable<TransportLeg>.Of("transport_legs", "person_id, mode, number, departure", updateOnConflict: true)
        .Int("person_id", l => l.Person).Text("mode", l => l.Mode.ToString().ToLowerInvariant()).Text("number", l => l.Number).Long("departure", l => l.Departure)
        .Long("arrival", l => l.Arrival).Text("car", l => l.Car).Int("seat_row", l => l.Row).Text("seat", l => l.Seat);

    public static Task<long> UpsertAsync(StoreSession s, IEnumerable<TransportLeg> legs, CancellationToken ct = default) =>
        BulkWriter.UpsertAsync(s, Table, legs, ct);

    public static async Task<List<TransportLeg>> LoadAllAsync(Database db, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<(long Person, string Mode, string Number, long Departure, long Arrival, string? Car, long? Row, string? Seat)>(new CommandDefinition(
            "SELECT person_id, mode, number, departure, arrival, car, seat_row, seat FROM transport_legs ORDER BY mode, number, departure, person_id", cancellationToken: ct));
        return rows.Select(r => new TransportLeg((int)r.Person, Enum.Parse<TransportMode>(r.Mode, ignoreCase: true), r.Number, r.Departure, r.Arrival, r.Car, (int?)r.Row, r.Seat)).ToList();
    }
}
