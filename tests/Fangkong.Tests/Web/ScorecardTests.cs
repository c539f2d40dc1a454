using Dapper;
using Fangkong.Storage.Control;
using Fangkong.Storage.Reports;

namespace Fangkong.Tests.Web;

/// <summary>The dashboard's scorecard adds up to the dashboard's own figures, and its shares follow the policy's hours.</summary>
[Collection(nameof(SqliteCentreCollection))]
public sealed class ScorecardTests(SqliteCentre centre)
{
    [Fact]
    public void TheMedian_IsTheMiddleValue_OrTheMeanOfTheTwoMiddleOnes()
    {
        Assert.Null(Scorecard.Median([]));
        Assert.Equal(3.0, Scorecard.Median([5, 1, 3]));
        Assert.Equal(2.5, Scorecard.Median([4, 1, 3, 2]));
    }

    [Fact]
    public async Task TheCountiesRows_AddUpToTheRegionsFigures()
    {
        var targets = new TimelinessTargets(2, 24);
        var rows = await Scorecard.JurisdictionsAsync(centre.Db, "", targets);
        var figures = await Dashboard.LoadAsync(centre.Db, "");
        Assert.All(rows, r => Assert.Equal(6, r.Jurisdiction.Length));
        Assert.Equal(figures.Cases, rows.Sum(r => r.Cases));
        await using var c = await centre.Db.OpenConnectionAsync();
        Assert.Equal(await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM control_orders o JOIN persons p ON p.id = o.person_id WHERE o.grp = 'close' AND p.community_code IS NOT NULL"),
            rows.Sum(r => r.CloseContacts));
        Assert.Equal(figures.OverdueTasks, rows.Sum(r => r.OverdueTasks) + await c.ExecuteScalarAsync<int>(
            "SELECT COUNT(*) FROM tasks WHERE status = 'open' AND due_at < @now AND LENGTH(home_jurisdiction) < 6", new { now = centre.Db.Now }));
        Assert.All(rows, r => Assert.InRange(r.NotifiedInTime ?? 0, 0, 1));

        // A longer allowance never makes fewer orders timely.
        var lenient = (await Scorecard.JurisdictionsAsync(centre.Db, "", new TimelinessTargets(10_000, 10_000))).ToDictionary(r => r.Jurisdiction);
        Assert.All(rows, r => Assert.True((lenient[r.Jurisdiction].ControlledInTime ?? 1) >= (r.ControlledInTime ?? 0)));
        Assert.All(rows, r => Assert.True((lenient[r.Jurisdiction].NotifiedInTime ?? 1) >= (r.NotifiedInTime ?? 0)));

        // A county's rows are its communities, adding up to the county's row.
        var county = rows.OrderByDescending(r => r.CloseContacts).First();
        var communities = await Scorecard.JurisdictionsAsync(centre.Db, county.Jurisdiction, targets);
        Assert.All(communities, r => Assert.StartsWith(county.Jurisdiction, r.Jurisdiction, StringComparison.Ordinal));
        Assert.Equal(county.CloseContacts, communities.Sum(r => r.CloseContacts));
        Assert.Equal(county.Cases, communities.Sum(r => r.Cases));
    }
}
