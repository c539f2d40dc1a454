namespace Fangkong.Storage.Imports;

/// <summary>Records each import (file, hash, counts) in the same transaction as its rows.</summary>
public static class ImportJournal
{
    private sealed record Entry(string Kind, string FileName, string Fingerprint, int RowsInFile, int RowsWritten, int RowsRejected, long At);

    private static readonly BulkTable<Entry> Table = BulkTable<Entry>.Of("imports", "id", updateOnConflict: false)
        .Text("kind", e => e.Kind).Text("file_name", e => e.FileName).Text("fingerprint", e => e.Fingerprint).Int("rows_in_file", e => e.RowsInFile)
        .Int("rows_written", e => e.RowsWritten).Int("rows_rejected", e => e.RowsRejected).Long("at", e => e.At);

    public static Task RecordAsync(StoreSession s, string kind, string fileName, string fingerprint, int rowsInFile, int rowsWritten, int rowsRejected, CancellationToken ct = default) =>
        BulkWriter.UpsertAsync(s, Table, [new Entry(kind, fileName, fingerprint, rowsInFile, rowsWritten, rowsRejected, s.Db.Now)], ct);
}
