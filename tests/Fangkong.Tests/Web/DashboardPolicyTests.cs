using System.Text.RegularExpressions;

namespace Fangkong.Tests.Web;

/// <summary>The dashboard names the policy profile in force, as the store chose it ('fangkong policy use'), in the reader's language.</summary>
[Collection(nameof(SqliteCentreCollection))]
public sealed class DashboardPolicyTests(SqliteCentre centre)
{
    [Fact]
    public async Task TheDashboard_NamesTheProfileInForce()
    {
        using var client = await centre.SignedInAsync("commander");
        var html = await client.GetStringAsync("/");
        var line = Regex.Match(html, "data-testid=\"policy\">([^<]*)<").Groups[1].Value;
        Assert.Contains("执行防控方案", line, StringComparison.Ordinal);
        Assert.Contains("cn-v8-2021", line, StringComparison.Ordinal);
    }
}
