using System.Net;
using Dapper;
using Fangkong.People;

namespace Fangkong.Tests.Web;

/// <summary>
/// Finding a person, the person page and registering a person, on the demo: a name finds people inside the
/// jurisdiction only, an exact ID number or mobile finds them anywhere but masked outside; the person page
/// shows how a contact became one and their order; a registration with a bad field says which and stores
/// nothing, and a document number already registered points to that record instead of a second one.
/// </summary>
[Collection(nameof(SqliteCentreCollection))]
public sealed class PersonPageTests(SqliteCentre centre)
{
    private sealed record Row(string Key, string Name, string? IdNumber, string? Phone, string Community);

    private async Task<Row> PersonAsync(string where, object args)
    {
        await using var c = await centre.Db.OpenConnectionAsync();
        return await c.QueryFirstAsync<Row>($"""
            SELECT p.person_key AS Key, p.name AS Name, p.id_number AS IdNumber, p.phone AS Phone, p.community_code AS Community FROM persons p
            WHERE p.name IS NOT NULL AND {where} ORDER BY p.person_key
            """, args);
    }

    [Fact]
    public async Task ANameFindsPeopleInsideOnly_AnIdNumberFindsThemAnywhereMasked()
    {
        var home = await PersonAsync("p.community_code LIKE @home AND p.id_number IS NOT NULL AND p.phone IS NOT NULL", new { home = centre.HomeCounty + "%" });
        // A name nobody in the home county's names starts with.
        var other = await PersonAsync("""
            p.community_code LIKE @other AND p.id_number IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM persons h WHERE h.community_code LIKE @home AND SUBSTR(h.name, 1, LENGTH(p.name)) = p.name)
            """, new { other = centre.OtherCounty + "%", home = centre.HomeCounty + "%" });

        using var investigator = await centre.SignedInAsync("investigator");
        var byName = await investigator.GetStringAsync($"/people?q={Uri.EscapeDataString(home.Name)}");
        Assert.Contains($"href=\"/people/{home.Key}\"", byName, StringComparison.Ordinal);
        Assert.Contains("按姓名", byName, StringComparison.Ordinal);
        var otherByName = await investigator.GetStringAsync($"/people?q={Uri.EscapeDataString(other.Name)}");
        Assert.Contains("data-testid=\"person-none\"", otherByName, StringComparison.Ordinal);

        var byDocument = await investigator.GetStringAsync($"/people?q={other.IdNumber}");
        Assert.Contains($"data-testid=\"person-{other.Key}\"", byDocument, StringComparison.Ordinal);
        Assert.DoesNotContain($"href=\"/people/{other.Key}\"", byDocument, StringComparison.Ordinal);
        Assert.DoesNotContain(other.Name, byDocument, StringComparison.Ordinal);
        Assert.DoesNotContain(other.IdNumber!, byDocument.Replace($"q={other.IdNumber}", "", StringComparison.Ordinal).Replace($"value=\"{other.IdNumber}\"", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("辖区外", byDocument, StringComparison.Ordinal);

        var byPhone = await investigator.GetStringAsync($"/people?q={home.Phone}");
        Assert.Contains($"href=\"/people/{home.Key}\"", byPhone, StringComparison.Ordinal);
        Assert.Contains($"href=\"tel:{home.Phone}\"", byPhone, StringComparison.Ordinal);
        var byKey = await investigator.GetStringAsync($"/people?q={home.Key}");
        Assert.Contains("按编号", byKey, StringComparison.Ordinal);

        // Every search is in the audit log with the keys it found.
        await using var c = await centre.Db.OpenConnectionAsync();
        var searches = (await c.QueryAsync<string>("SELECT detail FROM audit_log WHERE action = 'person.search' AND actor = 'investigator'")).ToList();
        Assert.Contains(searches, d => d.Contains(other.Key, StringComparison.Ordinal) && d.StartsWith("document", StringComparison.Ordinal));

        // A role that sees nobody's record cannot search.
        using var checkpoint = await centre.SignedInAsync("checkpoint");
        Assert.Equal(HttpStatusCode.Forbidden, (await checkpoint.GetAsync($"/people?q={home.Key}")).StatusCode);
    }

    [Fact]
    public async Task ThePersonPage_ShowsHowAContactBecameOne_TheirOrderAndHousehold()
    {
        string key, indexKey;
        await using (var c = await centre.Db.OpenConnectionAsync())
        {
            (key, indexKey) = await c.QueryFirstAsync<(string, string)>("""
                SELECT p.person_key, ip.person_key FROM contacts k JOIN persons p ON p.id = k.person_id JOIN persons ip ON ip.id = k.index_person_id
                JOIN control_orders o ON o.person_id = p.id AND o.active = 1
                WHERE k.tier = 'close' AND p.community_code LIKE @home AND p.address IS NOT NULL
                  AND EXISTS (SELECT 1 FROM persons h WHERE h.community_code = p.community_code AND h.address = p.address AND h.id <> p.id)
                ORDER BY p.person_key
                """, new { home = centre.HomeCounty + "%" });
        }
        using var control = await centre.SignedInAsync("control");
        var page = await control.GetStringAsync($"/people/{key}");
        Assert.Contains("data-testid=\"as-contact\"", page, StringComparison.Ordinal);
        Assert.Contains($"href=\"/people/{indexKey}\"", page, StringComparison.Ordinal);
        Assert.Contains("密接", page, StringComparison.Ordinal);
        Assert.Contains($"href=\"/control/{key}\"", page, StringComparison.Ordinal);
        var household = page[page.IndexOf("data-testid=\"household\"", StringComparison.Ordinal)..page.IndexOf("data-testid=\"epi\"", StringComparison.Ordinal)];
        Assert.Contains("href=\"/people/", household, StringComparison.Ordinal);

        // Outside the jurisdiction the page answers like a key that names nobody.
        using var outsider = await centre.SignedInAsync(CommandCentreFixture.Outsider);
        var outside = await outsider.GetAsync($"/people/{key}");
        var missing = await outsider.GetAsync("/people/NO-SUCH-KEY");
        Assert.Equal(HttpStatusCode.NotFound, outside.StatusCode);
        static string Plain(string html, string key) =>
            System.Text.RegularExpressions.Regex.Replace(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"[^\"]+\"", "").Replace(key, "KEY", StringComparison.Ordinal);
        Assert.Equal(Plain(await missing.Content.ReadAsStringAsync(), "NO-SUCH-KEY"), Plain(await outside.Content.ReadAsStringAsync(), key));
    }

    [Fact]
    public async Task ARegistrationWithABadField_SaysWhichAndStoresNothing_AndADocumentIsNeverRegisteredTwice()
    {
        string community;
        await using (var c = await centre.Db.OpenConnectionAsync())
        {
            community = await c.QuerySingleAsync<string>("SELECT jurisdiction_code FROM accounts WHERE username = 'community'");
        }
        var first17 = $"{centre.HomeCounty}19850607{Random.Shared.Next(100, 999)}";
        var id = first17 + ResidentId.ComputeCheckCharacter(first17);
        var wrongCheck = first17 + (id[^1] == '0' ? '1' : '0');
        long Count(System.Data.Common.DbConnection c) => c.ExecuteScalar<long>("SELECT COUNT(*) FROM persons");

        using var worker = await centre.SignedInAsync("community");
        long before;
        await using (var c = await centre.Db.OpenConnectionAsync())
        {
            before = Count(c);
        }
        KeyValuePair<string, string>[] Form(string idNumber, string phone, string code) =>
            [new("Name", "新登记"), new("IdType", "resident_id"), new("IdNumber", idNumber), new("Phone", phone), new("CommunityCode", code), new("Address", "和平小区3号楼")];

        var bad = await worker.PostFormAsync("/people/new", "/people/new", Form(wrongCheck, "1234", community));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var badHtml = await bad.Content.ReadAsStringAsync();
        Assert.Contains("data-testid=\"error-id_number\"", badHtml, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"error-phone\"", badHtml, StringComparison.Ordinal);
        var outside = await worker.PostFormAsync("/people/new", "/people/new", Form(id, "13912345678", centre.OtherCounty));
        Assert.Contains("data-testid=\"error-community_code\"", await outside.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using (var c = await centre.Db.OpenConnectionAsync())
        {
            Assert.Equal(before, Count(c));
        }

        var ok = await worker.PostFormAsync("/people/new", "/people/new", Form(id, "13912345678", community));
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        var location = ok.Headers.Location!.ToString();
        Assert.Matches("^/people/R\\d{8}", location);
        var page = await worker.GetStringAsync(location);
        Assert.Contains("新登记", page, StringComparison.Ordinal);
        Assert.Contains("1985-06-07", page, StringComparison.Ordinal);   // the birth date from the resident ID
        Assert.Contains("建档", page, StringComparison.Ordinal);

        var again = await worker.PostFormAsync("/people/new", "/people/new", Form(id, "13912345679", community));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains($"href=\"{location}\"", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using (var c = await centre.Db.OpenConnectionAsync())
        {
            Assert.Equal(before + 1, Count(c));
            Assert.Equal(1, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM audit_log WHERE action = 'person.register' AND actor = 'community'"));
        }
    }

    [Fact]
    public async Task TheInvestigatorAddsAnInterviewEntry_OnTheCasePage()
    {
        // A symptomatic case of the county; the walk is on its onset day, inside its tracing window.
        string key, day;
        await using (var c = await centre.Db.OpenConnectionAsync())
        {
            (key, day) = await c.QueryFirstAsync<(string, string)>("SELECT p.person_key, k.onset_date FROM cases k JOIN persons p ON p.id = k.person_id WHERE p.community_code LIKE @home AND k.onset_date IS NOT NULL ORDER BY p.person_key DESC", new { home = centre.HomeCounty + "%" });
        }
        using var investigator = await centre.SignedInAsync("investigator");
        var backwards = await investigator.PostFormAsync($"/cases/{key}", $"/cases/{key}?handler=itinerary",
            [new("place", "鼓楼步行街"), new("start", $"{day}T15:00"), new("end", $"{day}T14:00")]);
        Assert.Equal(HttpStatusCode.Conflict, backwards.StatusCode);
        Assert.Contains("data-testid=\"itinerary-error\"", await backwards.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var added = await investigator.PostFormAsync($"/cases/{key}", $"/cases/{key}?handler=itinerary",
            [new("place", "鼓楼步行街"), new("start", $"{day}T14:00"), new("end", $"{day}T15:30"), new("note", "自述步行")]);
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        var page = await investigator.GetStringAsync($"/cases/{key}");
        Assert.Contains("鼓楼步行街", page, StringComparison.Ordinal);
        Assert.Contains($"{day} 14:00", page, StringComparison.Ordinal);
        var person = await investigator.GetStringAsync($"/people/{key}");
        Assert.Contains("自述步行", person, StringComparison.Ordinal);
    }
}
