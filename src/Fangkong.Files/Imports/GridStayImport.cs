using Fangkong.Files.Csv;
using Fangkong.Storage;
using Fangkong.Storage.Checkins;
using Fangkong.Storage.Grid;
using Fangkong.Time;

namespace Fangkong.Files.Imports;

/// <summary>
/// Imports the mobile operator's dwell records in grid cells (时空伴随 input: person_id, cell_id, start,
/// end) into the grid-stay day segments. A cell is registered the first time a stay names it; exact
/// duplicates of stored stays are skipped by the store.
/// </summary>
internal sealed class GridStayImport : FileImport<CheckinRow>
{
    private KeyDirectory _people = new();
    private DeploymentCalendar _calendar = DeploymentCalendar.Default;
    private int _person, _cell, _start, _end;
    private ImportContext? _context;

    // The file's cells, numbered in order of first appearance; their store ids are known only when written.
    private readonly List<string> _cells = [];
    private readonly KeyDirectory _slots = new();

    public override async Task PrepareAsync(ImportContext context, CsvSource source, CancellationToken ct)
    {
        _context = context;
        _people = await context.PersonKeysAsync(ct);
        _calendar = context.Db.Calendar;
        (_person, _cell, _start, _end) = (source.Ordinal("person_id"), source.Ordinal("cell_id"), source.Ordinal("start"), source.Ordinal("end"));
    }

    public override CheckinRow Parse(CsvSource row, List<RowError> errors)
    {
        var line = row.Line + 1;
        var before = errors.Count;
        var person = ResolvePerson(row.Span(_person), "person_id", line, _people, errors, _context);
        var cell = row.Span(_cell).Trim();
        var slot = -1;
        if (cell.IsEmpty)
        {
            errors.Add(new RowError(line, "cell_id", "is empty") { Code = "empty" });
        }
        else if (!_slots.TryGet(cell, out slot))
        {
            slot = _cells.Count;
            _cells.Add(cell.ToString());
            _slots.Set(_cells[slot], slot);
        }
        var start = ParseTime(row.Span(_start), "start", line, _calendar, errors, required: true) ?? 0;
        var end = ParseTime(row.Span(_end), "end", line, _calendar, errors, required: true) ?? 0;
        if (errors.Count == before)
        {
            if (end < start)
            {
                errors.Add(new RowError(line, "end", "is before start") { Code = "endBeforeStart", Args = ["start"] });
            }
            else if (end - start > CheckinImport.MaxStaySeconds)
            {
                errors.Add(new RowError(line, "end", "is more than 31 days after start") { Code = "tooLong", Args = ["start"] });
            }
        }
        return errors.Count > before ? default : new CheckinRow(person, slot, start, end);
    }

    public override async Task<long> WriteAsync(ImportContext context, IReadOnlyList<CheckinRow> rows, string fileName, string fingerprint, long rowsInFile, long rejected, CancellationToken ct)
    {
        // Cells first (a stay never names a cell the store does not hold), then the stays.
        var used = rows.Select(r => r.Venue).Distinct().Select(slot => _cells[slot]).ToList();
        Dictionary<string, int> ids;
        await using (var s = await StoreSession.BeginAsync(context.Db, ct))
        {
            ids = await GridCellRepository.EnsureAsync(s, used, ct);
            await s.CommitAsync(ct);
        }
        var store = await CheckinStores.OpenAsync(context.Db, StayKind.GridStays, ct);
        var added = await store.AppendAsync([.. rows.Select(r => r with { Venue = ids[_cells[r.Venue]] })], ct);
        await InSessionAsync(context, _ => Task.FromResult(added), "gridstays", fileName, fingerprint, rowsInFile, rejected, ct);
        return added;
    }
}
