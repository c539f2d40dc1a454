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

/// <summary>
/// The file as a whole is refused (header, encoding, broken quoting); nothing was changed. The message
/// (for the command line) names the file's path; <see cref="Code"/> and <see cref="Args"/> give the
/// reason without it, for a screen to show in the user's language (<c>importRefusal.{code}</c>).
/// </summary>
public sealed class ImportRefusedException(string message, string code = "unreadable", params object?[] args) : Exception(message)
{
    public string Code { get; } = code;

    public IReadOnlyList<object?> Args { get; } = args;
}
