using Fangkong.Files.Csv;
using Fangkong.Storage.Testing;
using Fangkong.Time;

namespace Fangkong.Files.Imports;

/// <summary>
/// Imports mass-testing samples (tube_id, person_id, sampled_at, site_id, round_id): every row sharing a
/// tube_id is one pool. Bad rows, checked against the stored tubes and the rows before them: a tube with
/// more people than the profile's largest pool, one person twice in a tube, one tube at two sampling
/// times. A sample stored before (the same tube, person and time) changes nothing.
/// </summary>
internal sealed class SampleImport(int largestPool) : FileImport<TubeSample>
{
    /// <summary>A barcode is at most this long.</summary>
    public const int MaxKeyLength = 64;

    private sealed class Tube(long sampledAt, long line, HashSet<int> stored)
    {
        public long SampledAt { get; } = sampledAt;

        /// <summary>The line that fixed the time (0: the store).</summary>
        public long Line { get; } = line;

        public HashSet<int> Stored { get; } = stored;

        /// <summary>People of this file in the tube, with their line.</summary>
        public Dictionary<int, long> InFile { get; } = [];

        public int Count => Stored.Count + InFile.Keys.Count(p => !Stored.Contains(p));
    }

    private KeyDirectory _people = new();
    private DeploymentCalendar _calendar = DeploymentCalendar.Default;
    private ImportContext? _context;
    private readonly Dictionary<string, Tube> _tubes = new(StringComparer.Ordinal);

    public override async Task PrepareAsync(ImportContext context, CsvSource source, CancellationToken ct)
    {
        _context = context;
        _people = await context.PersonKeysAsync(ct);
        _calendar = context.Db.Calendar;
        foreach (var t in (await TubeRepository.LoadAllAsync(context.Db, ct)).Values)
        {
            _tubes[t.Key] = new Tube(t.SampledAt, 0, [.. t.Members]);
        }
    }

    public override TubeSample? Parse(CsvSource row, List<RowError> errors)
    {
        var line = row.Line + 1;
        var before = errors.Count;
        var key = row.Span("tube_id").ToString();
        if (key.Length == 0)
        {
            errors.Add(new RowError(line, "tube_id", "is empty") { Code = "empty" });
        }
        else if (key.Length > MaxKeyLength)
        {
            errors.Add(new RowError(line, "tube_id", $"is longer than {MaxKeyLength} characters") { Code = "tooLong", Args = [MaxKeyLength] });
        }
        var person = ResolvePerson(row.Span("person_id"), "person_id", line, _people, errors, _context);
        var at = ParseTime(row.Span("sampled_at"), "sampled_at", line, _calendar, errors, required: true) ?? 0;
        if (errors.Count > before)
        {
            return null;
        }
        if (!_tubes.TryGetValue(key, out var tube))
        {
            tube = _tubes[key] = new Tube(at, line, []);
        }
        else if (tube.SampledAt != at)
        {
            var where = tube.Line == 0 ? "in the store" : $"on line {tube.Line}";
            errors.Add(new RowError(line, "sampled_at", $"tube {key} was sampled at {_calendar.Format(tube.SampledAt)} {where}; one tube has one sampling time")
            { Code = "tubeTwoTimes", Args = [key, _calendar.Format(tube.SampledAt)] });
            return null;
        }
        if (tube.InFile.TryGetValue(person, out var first))
        {
            errors.Add(new RowError(line, "person_id", $"is already in tube {key} on line {first}") { Code = "twiceInTube", Args = [key, first] });
            return null;
        }
        if (!tube.Stored.Contains(person) && tube.Count >= largestPool)
        {
            errors.Add(new RowError(line, "tube_id", $"tube {key} would hold more than {largestPool} people, the profile's largest pool") { Code = "tubeTooFull", Args = [key, largestPool] });
            return null;
        }
        tube.InFile[person] = line;
        return new TubeSample(key, person, at, row.Text("site_id"), row.Text("round_id"));
    }

    public override Task<long> WriteAsync(ImportContext context, IReadOnlyList<TubeSample> rows, string fileName, string fingerprint, long rowsInFile, long rejected, CancellationToken ct) =>
        InSessionAsync(context, s => TubeRepository.AddAsync(s, rows, ct), "samples", fileName, fingerprint, rowsInFile, rejected, ct);
}
