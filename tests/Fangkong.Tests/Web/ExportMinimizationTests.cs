using System.Net;
using Dapper;

namespace Fangkong.Tests.Web;

/// <summary>
/// Data minimization in exports (SPEC 7): the lists people export carry the columns the list shows —
/// key, (masked where outside) name, area, status — never an ID number, a phone number or a home address,
/// for any role. Checked against every such value the store holds.
/// </summary>
[Collection(nameof(SqliteCentreCollection))]
public sealed class ExportMinimizationTests(SqliteCentre centre)
{
    [Theory]
    [InlineData("commander")]
    [InlineData("investigator")]
    [InlineData("auditor")]
    public async Task NoExport_CarriesIdNumbersPhonesOrAddresses(string user)
    {
        List<string> identifying;
        await using (var c = await centre.Db.OpenConnectionAsync())
        {
            identifying = [.. await c.QueryAsync<string>("""
                SELECT id_number FROM persons WHERE id_number IS NOT NULL AND LENGTH(id_number) >= 15
                UNION SELECT phone FROM persons WHERE phone IS NOT NULL AND LENGTH(phone) >= 11
                UNION SELECT address FROM persons WHERE address IS NOT NULL AND LENGTH(address) >= 6
                """)];
        }
        Assert.True(identifying.Count > 1000, $"the demo holds identifying values ({identifying.Count})");
        using var client = await centre.SignedInAsync(user);
        await client.PostFormAsync("/confirm", "/confirm", [new("password", CommandCentreFixture.Password)]);
        var exported = 0;
        foreach (var list in new[] { "/cases", "/contacts", "/tasks", "/missing", "/audit" })
        {
            var response = await client.GetAsync($"{list}?handler=export&format=csv&size=5000");
            if (response.StatusCode == HttpStatusCode.Forbidden)
            {
                continue;
            }
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(text.Split('\n').Length > 2, $"{list} exported rows");
            var leaked = identifying.FirstOrDefault(v => text.Contains(v, StringComparison.Ordinal));
            Assert.True(leaked is null, $"{list} as {user} carries '{leaked}'");
            exported++;
        }
        Assert.True(exported >= 3, $"{user} exported {exported} lists");
    }
}
