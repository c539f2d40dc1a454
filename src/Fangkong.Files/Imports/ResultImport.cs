using Fangkong.Files.Csv;
using Fangkong.Policies;
using Fangkong.Storage.People;
using Fangkong.Storage.Testing;
using Fangkong.Testing;
using Fangkong.Time;

namespace Fangkong.Files.Imports;

/// <summary>
/// Imports lab results by tube (tube_id, result, tested_at, lab_id) and, in the same transaction, what they
/// ask for (<see cref="LabResults"/>): a positive pool's members under their temporary order when the import
/// returns. Bad rows: a tube no sample was stored for, a result before the tube's sampling time, a second,
/// different result for a tube (stored or earlier in the file). The same result again changes nothing.
/// </summary>
internal sealed class ResultImport(PolicyProfile policy, string actor) : FileImport<LabResult?>
{
    private Dictionary<string, TubeRepository.ResultedTube> _tubes = [];
    private readonly Dictionary<string, (TubeResult Result, long Line)> _inFile = new(StringComparer.Ordinal);
    private DeploymentCalendar _calendar = DeploymentCalendar.Default;
    private ImportContext? _context;
    private HashSet<int>? _outside;
    private Dictionary<int, IReadOnlyCollection<int>>? _members;

    /// <summary>What the stored results asked for; set by <see cref="WriteAsync"/>.</summary>
    public RecallOutcome Outcome { get; private set; } = RecallOutcome.None;

    public override async Task PrepareAsync(ImportContext context, CsvSource source, CancellationToken ct)
    {
        _context = context;
        _calendar = context.Db.Calendar;
        _tubes = await TubeRepository.LoadForResultsAsync(context.Db, ct);
        if (context.Within is not null)
        {
            // A scoped user reports only tubes whose people all live inside their jurisdiction.
            _outside = [.. (await PersonRepository.LoadAllAsync(context.Db, ct)).Where(p => !context.InScope(p.Person.CommunityCode)).Select(p => p.Id)];
            _members = (await TubeRepository.LoadAllAsync(context.Db, ct)).Values.ToDictionary(t => t.Id, t => t.Members);
        }
    }

    public override LabResult? Parse(CsvSource row, List<RowError> errors)
    {
        var line = row.Line + 1;
        var before = errors.Count;
        var key = row.Span("tube_id").ToString();
        TubeRepository.ResultedTube? tube = null;
        if (key.Length == 0)
        {
            errors.Add(new RowError(line, "tube_id", "is empty") { Code = "empty" });
        }
        else if (!_tubes.TryGetValue(key, out tube))
        {
            errors.Add(new RowError(line, "tube_id", $"no sample was stored for tube '{key}'; import its samples first") { Code = "unknownTube", Args = [key] });
        }
        else if (_outside is not null && _members!.GetValueOrDefault(tube.Id, []).Any(_outside.Contains))
        {
            errors.Add(new RowError(line, "tube_id", $"tube '{key}' holds people who live outside your jurisdiction") { Code = "tubeOutside", Args = [key] });
            tube = null;
        }
        var text = row.Span("result");
        if (!TubeResults.TryParse(text, out var result))
        {
            errors.Add(text.IsEmpty
                ? new RowError(line, "result", "is empty") { Code = "empty" }
                : new RowError(line, "result", $"'{text}' is not a result; use negative, positive or inconclusive") { Code = "tubeResult", Args = [text.ToString()] });
        }
        var at = ParseTime(row.Span("tested_at"), "tested_at", line, _calendar, errors, required: true);
        var lab = row.Text("lab_id");
        if (lab is { Length: > SampleImport.MaxKeyLength })
        {
            errors.Add(new RowError(line, "lab_id", $"is longer than {SampleImport.MaxKeyLength} characters") { Code = "tooLong", Args = [SampleImport.MaxKeyLength] });
        }
        if (errors.Count > before || tube is null || at is not { } testedAt)
        {
            return null;
        }
        if (testedAt < tube.SampledAt)
        {
            errors.Add(new RowError(line, "tested_at", $"is before tube {key} was sampled ({_calendar.Format(tube.SampledAt)})") { Code = "resultBeforeSampling", Args = [key, _calendar.Format(tube.SampledAt)] });
            return null;
        }
        if (_inFile.TryGetValue(key, out var first))
        {
            if (first.Result != result)
            {
                errors.Add(new RowError(line, "result", $"tube {key} has the result {first.Result.ToCode()} on line {first.Line}; a tube has one result")
                { Code = "secondResult", Args = [key, first.Result.ToCode()] });
            }
            return null;   // the same result again: nothing to store
        }
        if (tube.Result is { } storedResult)
        {
            if (storedResult != result.ToCode())
            {
                errors.Add(new RowError(line, "result", $"tube {key} already has the result {storedResult} in the store; a tube has one result")
                { Code = "secondResult", Args = [key, storedResult] });
            }
            return null;
        }
        _inFile[key] = (result, line);
        return new LabResult(tube.Id, tube.Key, tube.SampledAt, tube.Site, tube.Round, result, testedAt, lab);
    }

    public override async Task<long> WriteAsync(ImportContext context, IReadOnlyList<LabResult?> rows, string fileName, string fingerprint, long rowsInFile, long rejected, CancellationToken ct)
    {
        var results = rows.OfType<LabResult>().ToList();
        return await InSessionAsync(context, async s =>
        {
            Outcome = await LabResults.StoreAsync(s, policy, results, actor, ct);
            return Outcome.Results;
        }, "results", fileName, fingerprint, rowsInFile, rejected, ct);
    }
}
