using Dapper;

namespace Fangkong.Tests.Web;

/// <summary>The dashboard's overdue table groups tasks by kind and owner (one row per group, with its count) and each row leads to the overdue tasks behind it; on both stores.</summary>
public abstract class DashboardOverdueTests(CommandCentreFixture centre)
{
    [Fact]
    public async Task OverdueTasks_AreGroupedWithTheirCounts_AndLinkToTheList()
    {
        long expected;
        await using (var c = await centre.Db.OpenConnectionAsync())
        {
            // An independent count: the largest group of overdue open tasks of the region, by kind and owner.
            expected = await c.ExecuteScalarAsync<long>(
                "SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM tasks WHERE status = 'open' AND due_at < @now GROUP BY kind, owner_jurisdiction) g", new { now = centre.Db.Now });
        }
        using var commander = await centre.SignedInAsync("commander");
        var html = await commander.GetStringAsync("/");
        var table = html[html.IndexOf("data-testid=\"overdue\"", StringComparison.Ordinal)..];
        table = table[..table.IndexOf("</table>", StringComparison.Ordinal)];
        var counts = System.Text.RegularExpressions.Regex.Matches(table, "<td class=\"number\">(\\d+)</td>").Select(m => long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.NotEmpty(counts);
        Assert.Equal(expected, counts[0]);
        Assert.Equal(counts.OrderByDescending(n => n), counts);
        Assert.Contains("href=\"/tasks?view=overdue&amp;kind=", table, StringComparison.Ordinal);
    }
}

[Collection(nameof(SqliteCentreCollection))]
public sealed class DashboardOverdueOnSqlite(SqliteCentre centre) : DashboardOverdueTests(centre);

[Collection(nameof(PostgresCentreCollection))]
public sealed class DashboardOverdueOnPostgres(PostgresCentre centre) : DashboardOverdueTests(centre);
