using System.Text;
using Fangkong.Files.Imports;
using Sylvan.Data.Csv;

namespace Fangkong.Files.Csv;

/// <summary>
/// A UTF-8 CSV file with a header row, checked against a file kind's columns: a missing required
/// column, an unknown or a repeated column refuses the file by name. Rows are read one at a time;
/// fields are looked up by column name. Invalid UTF-8 and broken quoting refuse the file with the line.
/// </summary>
public sealed class CsvSource : IDisposable
{
    private readonly FileStream _stream;
    private readonly CsvDataReader _reader;
    private readonly Dictionary<string, int> _ordinals;
    private readonly string _path;

    private CsvSource(string path, FileStream stream, CsvDataReader reader, Dictionary<string, int> ordinals)
    {
        _path = path;
        _stream = stream;
        _reader = reader;
        _ordinals = ordinals;
    }

    public IReadOnlyList<string> Columns => _ordinals.OrderBy(o => o.Value).Select(o => o.Key).ToList();

    /// <summary>The line of the current row (the header is line 1).</summary>
    public long Line => _reader.RowNumber;

    public long BytesRead => _stream.Position;

    public long Length => _stream.Length;

    public static CsvSource Open(string path, string[] required, string[] optional)
    {
        if (!File.Exists(path))
        {
            throw new ImportRefusedException($"{path}: no such file.", "noFile");
        }
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        try
        {
            var text = new StreamReader(stream, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true, 1 << 16);
            var options = new CsvDataReaderOptions { HasHeaders = true, Delimiter = ',', Quote = '"', BufferSize = 1 << 16 };
            CsvDataReader reader;
            try
            {
                reader = CsvDataReader.Create(text, options);
            }
            catch (DecoderFallbackException)
            {
                throw new ImportRefusedException($"{path}: line 1: the file is not UTF-8 text.", "notUtf8", 1);
            }
            catch (CsvFormatException e)
            {
                throw new ImportRefusedException($"{path}: line 1: the header row is malformed ({e.Message}).", "header");
            }
            var ordinals = CheckHeader(path, reader, required, optional);
            return new CsvSource(path, stream, reader, ordinals);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    private static Dictionary<string, int> CheckHeader(string path, CsvDataReader reader, string[] required, string[] optional)
    {
        var known = required.Concat(optional).ToHashSet(StringComparer.Ordinal);
        var ordinals = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < reader.FieldCount; i++)
        {
            var name = reader.GetName(i).Trim();
            if (name.Length == 0 && reader.FieldCount == 1)
            {
                break;
            }
            if (!known.Contains(name))
            {
                throw new ImportRefusedException(
                    $"{path}: line 1: unknown column '{name}'. The columns are {string.Join(", ", required)} (required) and {string.Join(", ", optional)}.",
                    "unknownColumn", name, string.Join(", ", required), string.Join(", ", optional));
            }
            if (!ordinals.TryAdd(name, i))
            {
                throw new ImportRefusedException($"{path}: line 1: column '{name}' appears twice.", "duplicateColumn", name);
            }
        }
        var missing = required.Where(r => !ordinals.ContainsKey(r)).ToList();
        if (missing.Count > 0)
        {
            throw new ImportRefusedException($"{path}: line 1: missing required column{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing)}.", "missingColumns", string.Join(", ", missing));
        }
        return ordinals;
    }

    public bool Has(string column) => _ordinals.ContainsKey(column);

    /// <summary>Moves to the next row; false at the end of the file.</summary>
    public bool Read()
    {
        try
        {
            return _reader.Read();
        }
        catch (DecoderFallbackException)
        {
            throw new ImportRefusedException($"{_path}: line {Line + 1}: the file is not UTF-8 text.", "notUtf8", Line + 1);
        }
        catch (CsvFormatException e)
        {
            throw new ImportRefusedException($"{_path}: line {e.RowNumber}: malformed CSV (a quote left open or a stray quote).", "quoting", e.RowNumber);
        }
    }

    /// <summary>The number of fields the current row actually has.</summary>
    public int RowFieldCount => _reader.RowFieldCount;

    public int ColumnCount => _ordinals.Count;

    /// <summary>The trimmed field, or an empty span when the column is absent from the file.</summary>
    public ReadOnlySpan<char> Span(string column) =>
        _ordinals.TryGetValue(column, out var i) && i < _reader.RowFieldCount ? _reader.GetFieldSpan(i).Trim() : [];

    public int Ordinal(string column) => _ordinals[column];

    public ReadOnlySpan<char> Span(int ordinal) => ordinal < _reader.RowFieldCount ? _reader.GetFieldSpan(ordinal).Trim() : [];

    /// <summary>The trimmed field, or null when empty or absent.</summary>
    public string? Text(string column)
    {
        var s = Span(column);
        return s.IsEmpty ? null : s.ToString();
    }

    /// <summary>All fields of the current row as written, for a rejects file.</summary>
    public string[] RawFields()
    {
        var fields = new string[_reader.RowFieldCount];
        for (var i = 0; i < fields.Length; i++)
        {
            fields[i] = _reader.GetString(i);
        }
        return fields;
    }

    public void Dispose()
    {
        _reader.Dispose();
        _stream.Dispose();
    }
}
