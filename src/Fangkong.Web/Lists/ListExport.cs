using System.Globalization;
using Fangkong.Files.Csv;
using Fangkong.Text;
using Fangkong.Web.Audit;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using MiniExcelLibs;

namespace Fangkong.Web.Lists;

/// <summary>
/// A list exported as shown (same filters and order, up to 100,000 rows) to CSV (UTF-8 with BOM,
/// for Excel) or .xlsx. Every export is audited and watermarked with the user and the time: the
/// CSV's last line, the workbook's second sheet. Cells that a spreadsheet would run as a formula are
/// neutralised (<see cref="SpreadsheetCells"/>).
/// </summary>
public static class ListExport
{
    public static async Task<IActionResult> FileAsync(
        string format, string name, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string?>> rows,
        AuditTrail audit, string who, string filter, TimeProvider clock, Text.UiText text)
    {
        var list = rows.Select(r => (IReadOnlyList<string?>)r.Select(SpreadsheetCells.Neutralize).ToList()).ToList();
        var at = clock.GetUtcNow();
        var stamp = at.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var time = at.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        // The watermark in the reader's language, like every other text of the export.
        var watermark = text.F("export.watermark", who, time, SpreadsheetCells.Neutralize(filter));
        await audit.RecordAsync("export", $"list:{name}", AuditDetail.Write("export", format, Phrase.Number(list.Count), filter));
        var stream = new MemoryStream();
        if (format == "xlsx")
        {
            var data = list.Select(r => headers.Zip(r).ToDictionary(x => x.First, x => (object?)x.Second, StringComparer.Ordinal)).ToList();
            var sheets = new Dictionary<string, object>
            {
                [text["export.sheet.data"]] = data,
                [text["export.sheet.watermark"]] = new[]
                {
                    new Dictionary<string, object?> { [text["export.exportedBy"]] = who, [text["export.exportedAtUtc"]] = time, [text["export.filter"]] = filter },
                },
            };
            await MiniExcel.SaveAsAsync(stream, sheets);
            stream.Position = 0;
            return new FileStreamResult(stream, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet") { FileDownloadName = $"{name}-{who}-{stamp}.xlsx" };
        }
        await using (var csv = new CsvOutput(stream, bom: true))
        {
            csv.Row(headers);
            foreach (var r in list)
            {
                csv.Row(r);
            }
            csv.Row("# " + watermark);
        }
        stream.Position = 0;
        return new FileStreamResult(stream, "text/csv; charset=utf-8") { FileDownloadName = $"{name}-{who}-{stamp}.csv" };
    }

    public static bool IsFormat(string? format) => format is "csv" or "xlsx";
}
