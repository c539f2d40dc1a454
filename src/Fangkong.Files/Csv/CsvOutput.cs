using System.Text;

namespace Fangkong.Files.Csv;

/// <summary>Writes RFC 4180 CSV in UTF-8 without a byte-order mark (the form SPEC 4.1 reads back).</summary>
public sealed class CsvOutput : IDisposable, IAsyncDisposable
{
    private readonly StreamWriter _writer;

    public CsvOutput(string path) =>
        _writer = new StreamWriter(path, append: false, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };

    /// <summary>Writes to a stream (left open); with <paramref name="bom"/> a UTF-8 byte-order mark first, for Excel users.</summary>
    public CsvOutput(Stream stream, bool bom) =>
        _writer = new StreamWriter(stream, new UTF8Encoding(bom), 1 << 16, leaveOpen: true) { NewLine = "\n" };

    public void Row(params IReadOnlyList<string?> fields)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0)
            {
                _writer.Write(',');
            }
            Field(fields[i]);
        }
        _writer.Write('\n');
    }

    private void Field(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }
        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            _writer.Write(value);
            return;
        }
        _writer.Write('"');
        _writer.Write(value.Replace("\"", "\"\"", StringComparison.Ordinal));
        _writer.Write('"');
    }

    public void Flush() => _writer.Flush();

    public void Dispose() => _writer.Dispose();

    public ValueTask DisposeAsync() => _writer.DisposeAsync();
}
