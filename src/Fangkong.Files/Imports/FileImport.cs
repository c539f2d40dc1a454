using Fangkong.Files.Csv;
using Fangkong.Storage;
using Fangkong.Time;

namespace Fangkong.Files.Imports;

/// <summary>
/// One kind of import: prepare (load what rows are checked against), parse and check each row
/// (adding its problems to the list), then write every good row in one atomic step.
/// </summary>
internal abstract class FileImport<T>
{
    /// <summary>Rows that joined a record already stored or earlier in the file (persons: by document number).</summary>
    public long Joined { get; protected set; }

    public abstract Task PrepareAsync(ImportContext context, CsvSource source, CancellationToken ct);

    /// <summary>Returns the row's record, or default after adding at least one error.</summary>
    public abstract T? Parse(CsvSource row, List<RowError> errors);

    /// <summary>Writes the good rows; returns how many rows of the store changed.</summary>
    public abstract Task<long> WriteAsync(ImportContext context, IReadOnlyList<T> rows, string fileName, string fingerprint, long rowsInFile, long rejected, CancellationToken ct);

    /// <summary>An instant of SPEC 4.1 (ISO 8601 with offset), or null after an error naming the column; empty is null too, and an error only when required.</summary>
    protected static long? ParseTime(ReadOnlySpan<char> text, string column, long line, DeploymentCalendar calendar, List<RowError> errors, bool required)
    {
        if (text.IsEmpty)
        {
            if (required)
            {
                errors.Add(new RowError(line, column, "is empty") { Code = "empty" });
            }
            return null;
        }
        if (IsoTime.TryParse(text, calendar, out var t))
        {
            return t;
        }
        errors.Add(new RowError(line, column, $"'{text}' is not an ISO 8601 time such as 2021-10-17T09:30:00+08:00") { Code = "notTime", Args = [text.ToString()] });
        return null;
    }

    /// <summary>The internal id of a person named by a key of the store, or 0 after an error naming the column.</summary>
    protected static int ResolvePerson(ReadOnlySpan<char> key, string column, long line, KeyDirectory people, List<RowError> errors, ImportContext? context = null)
    {
        if (people.TryGet(key, out var id))
        {
            return id;
        }
        if (context is not null && context.OutsidePeople.Contains(key.ToString()))
        {
            errors.Add(new RowError(line, column, $"'{key}' lives outside your jurisdiction") { Code = "personOutside", Args = [key.ToString()] });
            return 0;
        }
        errors.Add(key.IsEmpty ? new RowError(line, column, "is empty") { Code = "empty" } : new RowError(line, column, $"'{key}' is not a known person; import persons first") { Code = "unknownPerson", Args = [key.ToString()] });
        return 0;
    }

    protected static async Task<long> InSessionAsync(ImportContext context, Func<StoreSession, Task<long>> write, string kind, string fileName, string fingerprint, long rowsInFile, long rejected, CancellationToken ct)
    {
        await using var s = await StoreSession.BeginAsync(context.Db, ct);
        var written = await write(s);
        await Storage.Imports.ImportJournal.RecordAsync(s, kind, fileName, fingerprint, (int)rowsInFile, (int)written, (int)rejected, ct);
        await s.CommitAsync(ct);
        return written;
    }
}
