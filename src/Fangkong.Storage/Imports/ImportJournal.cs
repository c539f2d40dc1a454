namespace Fangkong.Storage.Imports;

/// <summary>Records each import (file, hash, counts) in the same transaction as its rows.</summary>
public static class ImportJournal
{
    private static readonly BulkTable Table = new("imports",
    [
        ("kind", ColumnKind.Text), ("file_name", ColumnKind.Text), ("fingerprint", ColumnKind.Text), ("rows_in_file", ColumnKind.Int),
        ("rows_written", ColumnKind.Int), ("rows_rejected", ColumnKind.Int), ("at", ColumnKind.Long),
    ], "id", UpdateOnConflict: false);

    public static Task RecordAsync(StoreSession s, string kind, string fileName, string fingerprint, int rowsInFile, int rowsWritten, int rowsRejected, CancellationToken ct = default) =>
        BulkWriter.UpsertAsync(s, Table, [[kind, fileName, fingerprint, rowsInFile, rowsWritten, rowsRejected, s.Db.Now]], ct);
}
