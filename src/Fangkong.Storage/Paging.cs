namespace Fangkong.Storage;

/// <summary>
/// A page of a list: 1-based page number, page size (1–500), and a sort key that the list maps to
/// a column it allows (anything else falls back to the list's default order).
/// </summary>
public sealed record PageRequest(int Page = 1, int Size = 50, string? Sort = null, bool Descending = false)
{
    public const int MaxSize = 500;

    /// <summary>The most rows one export writes.</summary>
    public const int MaxExport = 100_000;

    /// <summary>True for an export: one page of up to <see cref="MaxExport"/> rows.</summary>
    public bool Export { get; init; }

    public int Offset => Export ? 0 : (Math.Max(Page, 1) - 1) * Limit;

    public int Limit => Export ? MaxExport : Math.Clamp(Size, 1, MaxSize);

    /// <summary>The ORDER BY for this request, choosing among <paramref name="columns"/>; ties broken by <paramref name="tieBreak"/>.</summary>
    public string OrderBy(IReadOnlyDictionary<string, string> columns, string fallback, string tieBreak)
    {
        var column = Sort is not null && columns.TryGetValue(Sort, out var c) ? c : fallback;
        return $"ORDER BY {column} {(Descending ? "DESC" : "ASC")}, {tieBreak}";
    }
}

/// <summary>One page of rows and the number of rows that match in all.</summary>
public sealed record Page<T>(IReadOnlyList<T> Rows, long Total, PageRequest Request)
{
    public int Pages => (int)Math.Max(1, (Total + Request.Limit - 1) / Request.Limit);
}
