namespace Fangkong.Files.Csv;

/// <summary>
/// Cells of files meant to be opened by people in a spreadsheet (the lists' exports): a value that
/// begins with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, a tab or a carriage return would be read as a
/// formula (<c>=HYPERLINK(…)</c>), so it is written after a single quote, which spreadsheets show as
/// text. The exchange formats (imports, their round-trip exports, the batch contract) stay exact and
/// do not use this.
/// </summary>
public static class SpreadsheetCells
{
    public static string? Neutralize(string? value) =>
        value is { Length: > 0 } && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;
}
