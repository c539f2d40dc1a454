using System.Globalization;
using Fangkong.Files.Csv;
using Fangkong.Storage.Transport;
using Fangkong.Time;
using Fangkong.Tracing;

namespace Fangkong.Files.Imports;

/// <summary>
/// Imports journeys (an extension of SPEC 4.1): person_id, mode (flight, train, coach), number,
/// departure, arrival, and where known the train car, the seat row and the seat. Re-importing updates.
/// </summary>
internal sealed class TransportImport : FileImport<TransportLeg>
{
    private KeyDirectory _people = new();
    private DeploymentCalendar _calendar = DeploymentCalendar.Default;

    private ImportContext? _context;

    public override async Task PrepareAsync(ImportContext context, CsvSource source, CancellationToken ct)
    {
        _context = context;
        _people = await context.PersonKeysAsync(ct);
        _calendar = context.Db.Calendar;
    }

    public override TransportLeg? Parse(CsvSource row, List<RowError> errors)
    {
        var line = row.Line + 1;
        var before = errors.Count;
        var person = ResolvePerson(row.Span("person_id"), "person_id", line, _people, errors, _context);
        var modeText = row.Text("mode");
        if (modeText is null || !TransportLeg.TryParseMode(modeText, out var mode))
        {
            errors.Add(modeText is null ? new RowError(line, "mode", "is empty") { Code = "empty" } : new RowError(line, "mode", $"'{modeText}' is not one of flight, train, coach") { Code = "notOneOf", Args = [modeText, "flight, train, coach"] });
            mode = default;
        }
        var number = row.Text("number");
        if (number is null)
        {
            errors.Add(new RowError(line, "number", "is empty (a flight or train number, or a coach's plate)") { Code = "empty" });
        }
        var departure = ParseTime(row.Span("departure"), "departure", line, _calendar, errors, required: true);
        var arrival = ParseTime(row.Span("arrival"), "arrival", line, _calendar, errors, required: true);
        int? seatRow = null;
        if (row.Text("row") is { } r)
        {
            if (int.TryParse(r, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                seatRow = n;
            }
            else
            {
                errors.Add(new RowError(line, "row", $"'{r}' is not a whole number") { Code = "notWhole", Args = [r] });
            }
        }
        if (errors.Count == before && arrival < departure)
        {
            errors.Add(new RowError(line, "arrival", "is before departure") { Code = "endBeforeStart", Args = ["departure"] });
        }
        return errors.Count > before ? null : new TransportLeg(person, mode, number!.ToUpperInvariant(), departure!.Value, arrival!.Value, row.Text("car"), seatRow, row.Text("seat"));
    }

    public override Task<long> WriteAsync(ImportContext context, IReadOnlyList<TransportLeg> rows, string fileName, string fingerprint, long rowsInFile, long rejected, CancellationToken ct) =>
        InSessionAsync(context, s => TransportRepository.UpsertAsync(s, rows.DistinctBy(l => (l.Person, l.Trip)), ct), "transport", fileName, fingerprint, rowsInFile, rejected, ct);
}
