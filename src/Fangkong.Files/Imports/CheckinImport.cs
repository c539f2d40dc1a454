using Fangkong.Files.Csv;
using Fangkong.Storage.Checkins;
using Fangkong.Time;

namespace Fangkong.Files.Imports;

/// <summary>
/// Imports check-ins into the check-in store. Keys are resolved and times parsed without
/// allocating per row; exact duplicates of stored check-ins are skipped by the store.
/// </summary>
internal sealed class CheckinImport : FileImport<CheckinRow>
{
    /// <summary>A stay longer than this is taken for a data error.</summary>
    public const int MaxStaySeconds = 31 * 86400;

    private KeyDirectory _people = new();
    private KeyDirectory _venues = new();
    private DeploymentCalendar _calendar = DeploymentCalendar.Default;
    private int _person, _venue, _in, _out;

    private ImportContext? _context;

    public override async Task PrepareAsync(ImportContext context, CsvSource source, CancellationToken ct)
    {
        _context = context;
        _people = await context.PersonKeysAsync(ct);
        _venues = await context.VenueKeysAsync(ct);
        _calendar = context.Db.Calendar;
        (_person, _venue, _in, _out) = (source.Ordinal("person_id"), source.Ordinal("venue_id"), source.Ordinal("check_in"), source.Ordinal("check_out"));
    }

    public override CheckinRow Parse(CsvSource row, List<RowError> errors)
    {
        var before = errors.Count;
        var person = ResolvePerson(row.Span(_person), "person_id", row.Line + 1, _people, errors, _context);
        var v = row.Span(_venue);
        if (!_venues.TryGet(v, out var venue))
        {
            errors.Add(_context!.OutsideVenues.Contains(v.ToString()) ? new RowError(row.Line + 1, "venue_id", $"'{v}' stands outside your jurisdiction") { Code = "venueOutside", Args = [v.ToString()] } : v.IsEmpty ? new RowError(row.Line + 1, "venue_id", "is empty") { Code = "empty" } : new RowError(row.Line + 1, "venue_id", $"'{v}' is not a known venue; import venues first") { Code = "unknownVenue", Args = [v.ToString()] });
        }
        var checkIn = ParseTime(row.Span(_in), "check_in", row.Line + 1, _calendar, errors, required: true) ?? 0;
        var checkOut = ParseTime(row.Span(_out), "check_out", row.Line + 1, _calendar, errors, required: true) ?? 0;
        if (errors.Count == before)
        {
            if (checkOut < checkIn)
            {
                errors.Add(new RowError(row.Line + 1, "check_out", "is before check_in") { Code = "endBeforeStart", Args = ["check_in"] });
            }
            else if (checkOut - checkIn > MaxStaySeconds)
            {
                errors.Add(new RowError(row.Line + 1, "check_out", "is more than 31 days after check_in") { Code = "tooLong", Args = ["check_in"] });
            }
        }
        return errors.Count > before ? default : new CheckinRow(person, venue, checkIn, checkOut);
    }

    public override async Task<long> WriteAsync(ImportContext context, IReadOnlyList<CheckinRow> rows, string fileName, string fingerprint, long rowsInFile, long rejected, CancellationToken ct)
    {
        var store = await context.CheckinStoreAsync(ct);
        var added = await store.AppendAsync(rows, ct);
        await InSessionAsync(context, _ => Task.FromResult(added), "checkins", fileName, fingerprint, rowsInFile, rejected, ct);
        return added;
    }
}
