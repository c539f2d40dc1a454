namespace Fangkong.Files.Imports;

/// <summary>
/// One problem of one row: its line in the file (the header is line 1), the column and the reason.
/// <see cref="Code"/> and <see cref="Args"/> let a screen give the reason in its own language (UI text
/// <c>row.{code}</c>); the report file and the command line keep <see cref="Reason"/>.
/// </summary>
public sealed record RowError(long Line, string Column, string Reason)
{
    public string? Code { get; init; }

    public IReadOnlyList<object?> Args { get; init; } = [];

    public override string ToString() => Column.Length == 0 ? $"line {Line}: {Reason}" : $"line {Line}, column {Column}: {Reason}";
}

/// <summary>The file as a whole is refused (header, encoding, broken quoting); nothing was changed.</summary>
public sealed class ImportRefusedException(string message) : Exception(message);
