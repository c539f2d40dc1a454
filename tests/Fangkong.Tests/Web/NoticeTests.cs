using System.Net;
using Dapper;

namespace Fangkong.Tests.Web;

/// <summary>
/// The printable documents: the quarantine notice (隔离告知书) of an order in progress and the release
/// certificate (解除隔离告知书) of a released one, with the person's identity, the measure, its dates and
/// tests; printed only by the roles that tell or control people, for people of their jurisdiction, audited.
/// </summary>
[Collection(nameof(SqliteCentreCollection))]
public sealed class NoticeTests(SqliteCentre centre)
{
    [Fact]
    public async Task TheQuarantineNotice_NamesThePersonTheMeasureItsDatesAndTests_AndIsAudited()
    {
        var key = await centre.UnderControlAsync(0);
        (string Name, string Id, string Start, string End) expected;
        await using (var c = await centre.Db.OpenConnectionAsync())
        {
            expected = await c.QuerySingleAsync<(string, string, string, string)>("""
                SELECT p.name, p.id_number, o.start_date, o.planned_end FROM persons p JOIN control_orders o ON o.person_id = p.id AND o.active = 1 WHERE p.person_key = @key
                """, new { key });
        }
        using var control = await centre.SignedInAsync("control");
        Assert.Contains($"/control/{key}/notice/quarantine", await control.GetStringAsync($"/control/{key}"), StringComparison.Ordinal);
        var notice = await control.GetStringAsync($"/control/{key}/notice/quarantine");
        Assert.Contains("隔离告知书", notice, StringComparison.Ordinal);
        Assert.Contains($"{expected.Name}（证件号码：{expected.Id}）", notice, StringComparison.Ordinal);
        Assert.Contains($"自 {expected.Start} 起至 {expected.End} 止", notice, StringComparison.Ordinal);
        Assert.Contains("密切接触者", notice, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"test-days\"", notice, StringComparison.Ordinal);
        Assert.Contains("新冠肺炎疫情防控指挥部", notice, StringComparison.Ordinal);

        // Not released: no release certificate, said so.
        var release = await control.GetAsync($"/control/{key}/notice/release");
        Assert.Equal(HttpStatusCode.Conflict, release.StatusCode);
        Assert.Contains("尚无已解除的管控单", await release.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await using var c2 = await centre.Db.OpenConnectionAsync();
        Assert.True(await c2.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM audit_log WHERE action = 'notice.print' AND actor = 'control' AND target = @target", new { target = $"person:{key}" }) >= 1);
    }

    [Fact]
    public async Task TheReleaseCertificate_ComesWithARelease_AndOnlyForThoseWhoMayPrintIt()
    {
        // An arrival from a medium-risk area who left it 18 days ago: the 14 days of home quarantine are over.
        string community;
        await using (var c = await centre.Db.OpenConnectionAsync())
        {
            community = await c.QuerySingleAsync<string>("SELECT jurisdiction_code FROM accounts WHERE username = 'community'");
        }
        var key = "PN" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var file = await centre.Store.WriteAsync($"{key}.csv", $"person_id,name,id_number,community_code\n{key},解除测试,64010419900101123X,{community}\n");
        async Task RunAsync(params string[] args)
        {
            var (code, output, err) = await Support.Cli.RunAsync(["--db", centre.Store.DbArgument, .. args]);
            Assert.True(code == 0, $"{string.Join(' ', args)}: {output} {err}");
        }
        await RunAsync("import", "persons", file);
        var left = centre.Db.Calendar.LocalDate(centre.Db.Now).AddDays(-18).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await RunAsync("control", "arrival", key, "--from", "medium", "--left", left);
        await RunAsync("control", "move", key, "notified");
        await RunAsync("control", "move", key, "under_control");
        int tests;
        await using (var c = await centre.Db.OpenConnectionAsync())
        {
            tests = await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM scheduled_tests s JOIN control_orders o ON o.id = s.order_id JOIN persons p ON p.id = o.person_id WHERE p.person_key = @key AND o.active = 1", new { key });
        }
        for (var n = 0; n < tests; n++)
        {
            await RunAsync("control", "sample", key, "--sample", $"{key}-{n}");
            await RunAsync("control", "result", $"{key}-{n}", "negative");
        }
        await RunAsync("control", "release", key);
        using var control = await centre.SignedInAsync("control");
        var page = await control.GetStringAsync($"/control/{key}");
        Assert.Contains($"/control/{key}/notice/release", page, StringComparison.Ordinal);
        var certificate = await control.GetStringAsync($"/control/{key}/notice/release");
        Assert.Contains("解除隔离告知书", certificate, StringComparison.Ordinal);
        Assert.Contains($"期间 {tests} 次核酸检测结果均为阴性", certificate, StringComparison.Ordinal);
        Assert.Contains("解除测试（证件号码：64010419900101123X）", certificate, StringComparison.Ordinal);
        Assert.Contains("现予解除", certificate, StringComparison.Ordinal);

        // The checkpoint officer may not; a person outside the jurisdiction is not found.
        using var checkpoint = await centre.SignedInAsync("checkpoint");
        Assert.Equal(HttpStatusCode.Forbidden, (await checkpoint.GetAsync($"/control/{key}/notice/release")).StatusCode);
        string outside;
        await using (var c = await centre.Db.OpenConnectionAsync())
        {
            outside = await c.QueryFirstAsync<string>("SELECT p.person_key FROM control_orders o JOIN persons p ON p.id = o.person_id WHERE o.active = 1 AND p.community_code LIKE @other", new { other = centre.OtherCounty + "%" });
        }
        Assert.Equal(HttpStatusCode.NotFound, (await control.GetAsync($"/control/{outside}/notice/quarantine")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await control.GetAsync($"/control/{key}/notice/other")).StatusCode);
    }
}
