using System.Net;
using Dapper;

namespace Fangkong.Tests.Web;

/// <summary>Bulk actions on the contact list act only on people inside the officer's jurisdiction, whatever the form says.</summary>
[Collection(nameof(SqliteCentreCollection))]
public sealed class BulkActionTests(SqliteCentre centre)
{
    [Fact]
    public async Task BulkNotify_MovesTheSelected_ButNeverOutsideTheJurisdiction()
    {
        // A new case (a secondary contact of the demo county who turns positive) gives new, identified orders.
        string candidate;
        await using (var c = await centre.Db.OpenConnectionAsync())
        {
            candidate = await c.QueryFirstAsync<string>("""
                SELECT p.person_key FROM persons p JOIN control_orders o ON o.person_id = p.id AND o.active = 1
                WHERE o.grp = 'secondary' AND p.community_code LIKE @home AND NOT EXISTS (SELECT 1 FROM cases k WHERE k.person_id = p.id)
                ORDER BY p.person_key DESC
                """, new { home = centre.HomeCounty + "%" });
        }
        using var investigator = await centre.SignedInAsync("investigator");
        var added = await investigator.PostFormAsync("/cases/new", "/cases/new",
            [new("PersonKey", candidate), new("Classification", "confirmed"), new("Onset", "2021-10-21")]);
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        await centre.TracedAsync();

        List<(long Id, string Community)> identified;
        await using (var c = await centre.Db.OpenConnectionAsync())
        {
            identified = (await c.QueryAsync<(long Id, string Community)>("""
                SELECT p.id, p.community_code FROM contacts k JOIN persons p ON p.id = k.person_id JOIN persons ip ON ip.id = k.index_person_id
                JOIN control_orders o ON o.person_id = p.id AND o.active = 1
                WHERE ip.person_key = @candidate AND o.status = 'identified' ORDER BY p.id
                """, new { candidate })).ToList();
        }
        var outside = identified.Where(i => !i.Community.StartsWith(centre.HomeCounty, StringComparison.Ordinal)).Take(3).ToList();
        Assert.NotEmpty(outside);

        // The county's control officer selects people of another county: nothing happens to them.
        using var officer = await centre.SignedInAsync("control");
        var refused = await officer.PostFormAsync("/contacts", "/contacts?handler=bulk",
            [new("action", "notify"), .. outside.Select(o => new KeyValuePair<string, string>("selected", o.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)))]);
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Equal(outside.Count, await CountAsync(outside, "identified"));

        // The region's commander may: all of them are notified.
        using var commander = await centre.SignedInAsync("commander");
        var done = await commander.PostFormAsync("/contacts", "/contacts?handler=bulk",
            [new("action", "notify"), .. outside.Select(o => new KeyValuePair<string, string>("selected", o.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)))]);
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.Equal(outside.Count, await CountAsync(outside, "notified"));
    }

    private async Task<int> CountAsync(IEnumerable<(long Id, string Community)> people, string status)
    {
        await using var c = await centre.Db.OpenConnectionAsync();
        return (int)await c.ExecuteScalarAsync<long>(
            $"SELECT COUNT(*) FROM control_orders WHERE active = 1 AND status = @status AND person_id IN ({string.Join(",", people.Select(p => p.Id))})", new { status });
    }
}
