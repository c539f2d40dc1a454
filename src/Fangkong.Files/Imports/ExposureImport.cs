using Fangkong.Exposures;
using Fangkong.Files.Csv;
using Fangkong.Storage.Exposures;
using Fangkong.Time;

namespace Fangkong.Files.Imports;

/// <summary>Imports manual exposures; an exposure already stored is not stored twice.</summary>
internal sealed class ExposureImport : FileImport<StoredExposure>
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

    public override StoredExposure? Parse(CsvSource row, List<RowError> errors)
    {
        var line = row.Line + 1;
        var before = errors.Count;
        var person = ResolvePerson(row.Span("person_id"), "person_id", line, _people, errors, _context);
        var other = ResolvePerson(row.Span("other_person_id"), "other_person_id", line, _people, errors, _context);
        var settingText = row.Text("setting");
        if (settingText is null || !ExposureSettings.TryParse(settingText, out var setting))
        {
            errors.Add(settingText is null ? new RowError(line, "setting", "is empty") { Code = "empty" } : new RowError(line, "setting", $"'{settingText}' is not one of {ExposureSettings.Allowed}") { Code = "notOneOf", Args = [settingText, ExposureSettings.Allowed] });
            setting = default;
        }
        var start = ParseTime(row.Span("start"), "start", line, _calendar, errors, required: true) ?? 0;
        var end = ParseTime(row.Span("end"), "end", line, _calendar, errors, required: true) ?? 0;
        if (errors.Count == before && end < start)
        {
            errors.Add(new RowError(line, "end", "is before start") { Code = "endBeforeStart", Args = ["start"] });
        }
        if (errors.Count == before && person == other)
        {
            errors.Add(new RowError(line, "other_person_id", "is the same person as person_id") { Code = "samePerson" });
        }
        return errors.Count > before ? null : new StoredExposure(person, other, setting, start, end);
    }

    public override Task<long> WriteAsync(ImportContext context, IReadOnlyList<StoredExposure> rows, string fileName, string fingerprint, long rowsInFile, long rejected, CancellationToken ct) =>
        InSessionAsync(context, s => ExposureRepository.AddAsync(s, rows.Distinct(), ct), "exposures", fileName, fingerprint, rowsInFile, rejected, ct);
}
