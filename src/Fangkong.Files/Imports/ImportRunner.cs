using System.Globalization;
using Fangkong.Files.Csv;
using Fangkong.Storage;

namespace Fangkong.Files.Imports;

/// <param name="SkipBad">Import the good rows and write the bad ones to a rejects file, instead of refusing the file.</param>
/// <param name="RejectsPath">Where the rejects go; default: beside the input, <c>NAME.rejects.csv</c>.</param>
/// <param name="Within">The importing user's jurisdiction: every row must concern people, venues and divisions inside it; null for the whole region.</param>
/// <param name="Profile">The profile the rows are checked by (samples: its largest pool; key groups: its frequencies; results: the orders and tasks of a recall); default: the built-in cn-v8-2021.</param>
/// <param name="Actor">Who imports, as the control loop's history names them (results lift and open orders).</param>
public sealed record ImportOptions(bool SkipBad = false, string? RejectsPath = null, Fangkong.Jurisdictions.JurisdictionCode? Within = null, Fangkong.Policies.PolicyProfile? Profile = null,
    string Actor = "import")
{
    private static readonly Lazy<Fangkong.Policies.PolicyProfile> BuiltIn = new(() => Fangkong.Policies.PolicyCatalog.Load().Get("cn-v8-2021"));

    public Fangkong.Policies.PolicyProfile Policy => Profile ?? BuiltIn.Value;
}

public sealed record ImportProgress(long Rows, long BytesRead, long Length);

/// <param name="Refused">True when nothing was written because of bad rows.</param>
/// <param name="Written">Rows of the store added or changed (0 when the file was imported before).</param>
/// <param name="Errors">The first <see cref="ImportRunner.MaxErrorsKept"/> problems; <paramref name="BadRows"/> counts them all.</param>
public sealed record ImportResult(FileKind Kind, long RowsInFile, long Accepted, long Rejected, long Written, IReadOnlyList<RowError> Errors, bool Refused, string? RejectsPath)
{
    public long BadRows { get; init; }

    /// <summary>Person rows under a new key that joined the person holding their document number (the same name and birth date).</summary>
    public long Joined { get; init; }

    /// <summary>What a results file asked for (held people, re-samplings, suspected cases, lifted orders); null for other files.</summary>
    public Storage.Testing.RecallOutcome? Recall { get; init; }
}

/// <summary>
/// Runs an import: checks the header, reads and checks every row, then either refuses the whole
/// file (the default when any row is bad) or writes the good rows in one atomic step.
/// </summary>
public static class ImportRunner
{
    /// <summary>A file of millions of bad rows keeps only this many problems in memory (all are counted).</summary>
    public const int MaxErrorsKept = 10_000;

    public static Task<ImportResult> RunAsync(Database db, FileKind kind, string path, ImportOptions options, IProgress<ImportProgress>? progress = null, CancellationToken ct = default) => kind switch
    {
        FileKind.Persons => RunAsync(db, kind, new PersonImport(), path, options, progress, ct),
        FileKind.Venues => RunAsync(db, kind, new VenueImport(), path, options, progress, ct),
        FileKind.Checkins => RunAsync(db, kind, new CheckinImport(), path, options, progress, ct),
        FileKind.Exposures => RunAsync(db, kind, new ExposureImport(), path, options, progress, ct),
        FileKind.Cases => RunAsync(db, kind, new CaseImport(), path, options, progress, ct),
        FileKind.Jurisdictions => RunAsync(db, kind, new JurisdictionImport(), path, options, progress, ct),
        FileKind.Transport => RunAsync(db, kind, new TransportImport(), path, options, progress, ct),
        FileKind.GridStays => RunAsync(db, kind, new GridStayImport(), path, options, progress, ct),
        FileKind.Samples => RunAsync(db, kind, new SampleImport(options.Policy.Testing.Pooling.LargestPool), path, options, progress, ct),
        FileKind.KeyGroups => RunAsync(db, kind, new KeyGroupImport(options.Policy.Testing.KeyGroups), path, options, progress, ct),
        FileKind.Results => RunAsync(db, kind, new ResultImport(options.Policy, options.Actor), path, options, progress, ct),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static async Task<ImportResult> RunAsync<T>(Database db, FileKind kind, FileImport<T> import, string path, ImportOptions options, IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        var (required, optional) = FileColumns.For(kind);
        var context = new ImportContext(db) { Within = options.Within is { Level: not Fangkong.Jurisdictions.JurisdictionLevel.Province } w ? w : null };
        using var source = CsvSource.Open(path, required, optional);
        await import.PrepareAsync(context, source, ct);

        var columns = source.Columns;
        var good = new List<T>();
        var errors = new List<RowError>();
        var rejects = new List<(long Line, string[] Fields, string Reason)>();
        long rows = 0, bad = 0;
        while (source.Read())
        {
            rows++;
            if ((rows & 0xFFFF) == 0)
            {
                ct.ThrowIfCancellationRequested();
                progress?.Report(new ImportProgress(rows, source.BytesRead, source.Length));
            }
            var before = errors.Count;
            if (source.RowFieldCount != source.ColumnCount && !(source.RowFieldCount == 1 && source.Span(0).IsEmpty))
            {
                errors.Add(new RowError(source.Line + 1, "", $"has {source.RowFieldCount} fields; the header has {source.ColumnCount}") { Code = "fieldCount", Args = [source.RowFieldCount, source.ColumnCount] });
            }
            else if (source.RowFieldCount == 1 && source.ColumnCount > 1 && source.Span(0).IsEmpty)
            {
                rows--;
                continue; // a blank line
            }
            // Check-ins hold only keys and times, which their parsers read strictly: the hot path of a 40-million-row file skips the text rule.
            else if (kind != FileKind.Checkins && TextRule(source, columns) is { } broken)
            {
                errors.Add(broken);
            }
            else
            {
                var record = import.Parse(source, errors);
                if (errors.Count == before)
                {
                    good.Add(record!);
                    continue;
                }
            }
            bad++;
            if (options.SkipBad)
            {
                rejects.Add((source.Line + 1, source.RawFields(), string.Join("; ", errors.Skip(before).Select(e => e.Column.Length == 0 ? e.Reason : $"{e.Column}: {e.Reason}"))));
            }
            if (errors.Count > MaxErrorsKept)
            {
                errors.RemoveRange(MaxErrorsKept, errors.Count - MaxErrorsKept);
            }
        }
        progress?.Report(new ImportProgress(rows, source.Length, source.Length));
        if (import is JurisdictionImport j)
        {
            var late = j.CheckParents().ToList();
            if (late.Count > 0)
            {
                return new ImportResult(kind, rows, 0, late.Count, 0, late, Refused: true, null) { BadRows = late.Count };
            }
        }
        if (errors.Count > 0 && !options.SkipBad)
        {
            return new ImportResult(kind, rows, good.Count, rejects.Count, 0, errors, Refused: true, null) { BadRows = bad };
        }
        string? rejectsPath = null;
        if (rejects.Count > 0)
        {
            rejectsPath = WriteRejects(path, options.RejectsPath, source.Columns, rejects);
        }
        var info = new FileInfo(path);
        var fingerprint = string.Create(CultureInfo.InvariantCulture, $"{info.Length}:{info.LastWriteTimeUtc:O}");
        var written = await import.WriteAsync(context, good, Path.GetFileName(path), fingerprint, rows, rejects.Count, ct);
        return new ImportResult(kind, rows, good.Count, rejects.Count, written, errors, Refused: false, rejectsPath) { BadRows = bad, Joined = import.Joined, Recall = (import as ResultImport)?.Outcome };
    }

    /// <summary>A value no import keeps: longer than any field may be, or holding a control or direction character (the rule of typed text).</summary>
    private static RowError? TextRule(CsvSource source, IReadOnlyList<string> columns)
    {
        for (var i = 0; i < source.RowFieldCount && i < columns.Count; i++)
        {
            var value = source.Span(i);
            if (value.Length > Fangkong.Input.FreeText.Long)
            {
                return new RowError(source.Line + 1, columns[i], $"is {value.Length} characters long; at most {Fangkong.Input.FreeText.Long} are kept") { Code = "tooLong", Args = [Fangkong.Input.FreeText.Long] };
            }
            // A quoted value may hold line breaks and tabs (an address over two lines).
            if (Fangkong.Input.FreeText.IndexOfHidden(value, multiline: true) is var at and >= 0)
            {
                return new RowError(source.Line + 1, columns[i], $"holds a control or direction character ({Fangkong.Input.FreeText.CodeOf(value[at])})") { Code = "hiddenCharacter", Args = [Fangkong.Input.FreeText.CodeOf(value[at])] };
            }
        }
        return null;
    }

    private static string WriteRejects(string input, string? requested, IReadOnlyList<string> columns, List<(long Line, string[] Fields, string Reason)> rejects)
    {
        var path = requested ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(input))!, Path.GetFileNameWithoutExtension(input) + ".rejects.csv");
        try
        {
            return Write(path);
        }
        catch (UnauthorizedAccessException) when (requested is null)
        {
            return Write(Path.GetFullPath(Path.GetFileNameWithoutExtension(input) + ".rejects.csv"));
        }
        catch (IOException) when (requested is null)
        {
            return Write(Path.GetFullPath(Path.GetFileNameWithoutExtension(input) + ".rejects.csv"));
        }

        string Write(string target)
        {
            using var output = new CsvOutput(target);
            output.Row(["line", "error", .. columns]);
            foreach (var (line, fields, reason) in rejects)
            {
                output.Row([line.ToString(CultureInfo.InvariantCulture), reason, .. fields]);
            }
            return target;
        }
    }
}
