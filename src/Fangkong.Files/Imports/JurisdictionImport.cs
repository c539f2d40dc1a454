using System.Globalization;
using Fangkong.Files.Csv;
using Fangkong.Jurisdictions;
using Fangkong.Storage.Jurisdictions;

namespace Fangkong.Files.Imports;

/// <summary>
/// Imports divisions below (or beside) the built-in tree: townships (9 digits) and communities
/// (12 digits) most of all. A division's parent must be known or in the same file.
/// </summary>
internal sealed class JurisdictionImport : FileImport<Jurisdiction>
{
    private HashSet<string> _known = [];
    private readonly List<(long Line, Jurisdiction J)> _rows = [];

    private JurisdictionCode? _within;

    public override async Task PrepareAsync(ImportContext context, CsvSource source, CancellationToken ct)
    {
        _known = await context.JurisdictionCodesAsync(ct);
        _within = context.Within;
    }

    public override Jurisdiction? Parse(CsvSource row, List<RowError> errors)
    {
        var line = row.Line + 1;
        var before = errors.Count;
        if (!JurisdictionCode.TryParse(row.Text("code"), out var code, out var why))
        {
            errors.Add(new RowError(line, "code", why!) { Code = "divisionCode", Args = [row.Text("code") ?? ""] });
        }
        else if (_within is { } w && (code == w || !Scope.Contains(w, code.Value)))
        {
            // A county adds and renames its own townships and communities, never itself or another's.
            errors.Add(new RowError(line, "code", $"{code.Value} is not a division below your jurisdiction {w.Value}") { Code = "divisionOutside", Args = [code.Value, w.Value] });
        }
        var name = row.Text("name");
        if (name is null)
        {
            errors.Add(new RowError(line, "name", "is empty") { Code = "empty" });
        }
        JurisdictionCode? parent = null;
        if (row.Text("parent_code") is { } p)
        {
            if (JurisdictionCode.TryParse(p, out var pc, out var pwhy))
            {
                parent = pc;
            }
            else
            {
                errors.Add(new RowError(line, "parent_code", pwhy!) { Code = "divisionCode", Args = [p] });
            }
        }
        long? population = null;
        if (row.Text("population") is { } pop)
        {
            if (long.TryParse(pop, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                population = n;
            }
            else
            {
                errors.Add(new RowError(line, "population", $"'{pop}' is not a whole number") { Code = "notWhole", Args = [pop] });
            }
        }
        if (errors.Count > before)
        {
            return null;
        }
        parent ??= code.Parent;
        if (parent is { } pp && !pp.Contains(code))
        {
            errors.Add(new RowError(line, "parent_code", $"{pp} does not contain {code}") { Code = "parentMismatch", Args = [pp.ToString(), code.ToString()] });
            return null;
        }
        var j = new Jurisdiction(code, name!, parent, population);
        _rows.Add((line, j));
        return j;
    }

    public override Task<long> WriteAsync(ImportContext context, IReadOnlyList<Jurisdiction> rows, string fileName, string fingerprint, long rowsInFile, long rejected, CancellationToken ct) =>
        InSessionAsync(context, s => JurisdictionRepository.UpsertAsync(s, rows, ct), "jurisdictions", fileName, fingerprint, rowsInFile, rejected, ct);

    /// <summary>Parents must exist in the store or in the file; checked once all rows are read.</summary>
    public IEnumerable<RowError> CheckParents()
    {
        var inFile = _rows.Select(r => r.J.Code.Value).ToHashSet(StringComparer.Ordinal);
        foreach (var (line, j) in _rows)
        {
            if (j.ParentCode is { } p && !_known.Contains(p.Value) && !inFile.Contains(p.Value) && j.Level > JurisdictionLevel.County)
            {
                yield return new RowError(line, "parent_code", $"{p} is not a known division") { Code = "unknownDivision", Args = [p.ToString()] };
            }
        }
    }
}
