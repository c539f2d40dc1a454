using System.Globalization;
using Fangkong.Cases;
using Fangkong.Files.Csv;
using Fangkong.Storage.Cases;
using Fangkong.Time;

namespace Fangkong.Files.Imports;

/// <summary>
/// Imports cases, one per person: a re-import updates the case. A case needs an onset date or a
/// sampling time, because its tracing window starts from one of them.
/// </summary>
internal sealed class CaseImport : FileImport<StoredCase>
{
    private KeyDirectory _people = new();
    private DeploymentCalendar _calendar = DeploymentCalendar.Default;
    private Dictionary<int, StoredCase> _existing = [];
    private readonly Dictionary<int, StoredCase> _changed = [];

    private ImportContext? _context;

    public override async Task PrepareAsync(ImportContext context, CsvSource source, CancellationToken ct)
    {
        _context = context;
        _people = await context.PersonKeysAsync(ct);
        _calendar = context.Db.Calendar;
        _existing = (await CaseRepository.LoadAllAsync(context.Db, ct)).ToDictionary(c => c.PersonId);
    }

    public override StoredCase? Parse(CsvSource row, List<RowError> errors)
    {
        var line = row.Line + 1;
        var before = errors.Count;
        var person = ResolvePerson(row.Span("person_id"), "person_id", line, _people, errors, _context);
        var c = row.Text("classification");
        if (c is null || !CaseClassifications.TryParseImported(c, out var classification))
        {
            errors.Add(c is null ? new RowError(line, "classification", "is empty") { Code = "empty" } : new RowError(line, "classification", $"'{c}' is not one of confirmed, asymptomatic, suspected") { Code = "notOneOf", Args = [c, "confirmed, asymptomatic, suspected"] });
            classification = default;
        }
        DateOnly? onset = null;
        if (row.Text("onset_date") is { } o)
        {
            if (IsoTime.TryParseDate(o, out var d))
            {
                onset = d;
            }
            else
            {
                errors.Add(new RowError(line, "onset_date", $"'{o}' is not a date YYYY-MM-DD") { Code = "notDate", Args = [o] });
            }
        }
        var sampling = ParseTime(row.Span("sampling_time"), "sampling_time", line, _calendar, errors, required: false);
        var report = ParseTime(row.Span("report_time"), "report_time", line, _calendar, errors, required: true);
        var isolation = ParseTime(row.Span("isolation_time"), "isolation_time", line, _calendar, errors, required: false);
        if (errors.Count == before)
        {
            // The rules of a case record (Fangkong.Cases.CaseRules), said in the file's own column names.
            foreach (var problem in CaseRules.Problems(classification, onset, sampling, report!.Value, _calendar))
            {
                errors.Add(problem.Code switch
                {
                    "onsetOrSampling" => new RowError(line, "onset_date", "a case needs an onset_date or a sampling_time to start its tracing window") { Code = "caseNeedsOnset" },
                    "reportBeforeOnset" => new RowError(line, "report_time", $"{_calendar.Format(report.Value)} is before the onset date {onset:yyyy-MM-dd}")
                        { Code = "reportBeforeOnset", Args = [_calendar.Format(report.Value), onset!.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)] },
                    _ => new RowError(line, problem.Field, problem.Message),
                });
            }
        }
        if (errors.Count > before)
        {
            return null;
        }
        var stored = new StoredCase(person, classification, onset, sampling, report!.Value, isolation);
        if (!_existing.TryGetValue(person, out var old) || old != stored)
        {
            _changed[person] = stored;
        }
        return stored;
    }

    public override Task<long> WriteAsync(ImportContext context, IReadOnlyList<StoredCase> rows, string fileName, string fingerprint, long rowsInFile, long rejected, CancellationToken ct) =>
        InSessionAsync(context, s => CaseRepository.UpsertAsync(s, _changed.Values, ct), "cases", fileName, fingerprint, rowsInFile, rejected, ct);
}
