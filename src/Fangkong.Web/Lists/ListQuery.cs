using System.Globalization;
using Fangkong.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;

namespace Fangkong.Web.Lists;

/// <summary>
/// The paging, sorting and filtering state of a list page, read from and written to its query
/// string (<c>page</c>, <c>size</c>, <c>sort</c>, <c>desc</c>, plus the list's own filters), so that every
/// view of a list is a link that can be shared, bookmarked and exported as shown.
/// </summary>
public sealed class ListQuery(HttpRequest request)
{
    public PageRequest Page { get; } = new(
        Int(request.Query["page"], 1),
        Int(request.Query["size"], 50),
        request.Query["sort"].FirstOrDefault(),
        request.Query["desc"] == "1");

    public string? this[string name] => request.Query[name].FirstOrDefault() is { Length: > 0 } v ? v : null;

    /// <summary>This list's URL with some parameters replaced (null removes one).</summary>
    public string With(params (string Name, string? Value)[] changes)
    {
        var q = request.Query.ToDictionary(kv => kv.Key, kv => kv.Value.ToString(), StringComparer.Ordinal);
        foreach (var (name, value) in changes)
        {
            if (value is null)
            {
                q.Remove(name);
            }
            else
            {
                q[name] = value;
            }
        }
        var builder = new QueryBuilder(q.Where(kv => kv.Value.Length > 0).OrderBy(kv => kv.Key, StringComparer.Ordinal));
        return request.Path + builder.ToQueryString().ToString();
    }

    /// <summary>The link of a column header: sort by it, or flip the direction when it is already the sort.</summary>
    public string SortLink(string column) =>
        With(("sort", column), ("desc", Page.Sort == column && !Page.Descending ? "1" : null), ("page", null));

    public string SortMark(string column) => Page.Sort != column ? "" : Page.Descending ? " ▼" : " ▲";

    public string PageLink(int page) => With(("page", page.ToString(CultureInfo.InvariantCulture)));

    public string ExportLink(string format) => With(("handler", "export"), ("format", format), ("page", null));

    private static int Int(string? text, int fallback) => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : fallback;
}
