using System.Net;
using System.Text.RegularExpressions;
using Dapper;

namespace Fangkong.Tests.Web;

/// <summary>Two officers act on the same order from pages loaded at the same version: the first wins, the second is told (in Chinese) and changes nothing.</summary>
[Collection(nameof(SqliteCentreCollection))]
public sealed partial class ConcurrentOfficersTests(SqliteCentre centre)
{
    [Fact]
    public async Task TheSecondOfficer_IsToldTheOrderChanged()
    {
        var person = await centre.UnderControlAsync(0);
        using var first = await centre.SignedInAsync("control");
        using var second = await centre.SignedInAsync("control");
        var page = await second.GetStringAsync($"/control/{person}");
        var version = Version().Match(page).Groups[1].Value;
        var token = WebClient.TokenIn(page);

        var won = await first.PostFormAsync($"/control/{person}", $"/control/{person}?handler=move",
            [new("to", "lost"), new("version", version), new("reason", "电话无人接听")]);
        Assert.Equal(HttpStatusCode.Redirect, won.StatusCode);

        var lost = await second.Http.PostAsync($"/control/{person}?handler=move", new FormUrlEncodedContent(
            [new("to", "lost"), new("version", version), new("reason", "上门未见"), new("__RequestVerificationToken", token)]));
        Assert.Equal(HttpStatusCode.Conflict, lost.StatusCode);
        Assert.Contains("刚被他人修改", await lost.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await using var check = await centre.Db.OpenConnectionAsync();
        Assert.Equal("电话无人接听", await check.ExecuteScalarAsync<string>(
            "SELECT o.lost_reason FROM control_orders o JOIN persons p ON p.id = o.person_id WHERE p.person_key = @person AND o.active = 1", new { person }));
    }

    [Fact]
    public async Task AStepOutOfOrder_IsRefusedInChinese_WithTheStepsThatCanFollow()
    {
        var person = await centre.UnderControlAsync(1);
        using var officer = await centre.SignedInAsync("control");
        var page = await officer.GetStringAsync($"/control/{person}");
        var response = await officer.PostFormAsync($"/control/{person}", $"/control/{person}?handler=move",
            [new("to", "notified"), new("version", Version().Match(page).Groups[1].Value)]);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("当前为“管控中”，不能直接变为“已告知”", html, StringComparison.Ordinal);
        Assert.Contains("下一步可以是：已解除", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AReleaseBeforeThePlannedEnd_IsRefusedInChinese_WithEveryReason()
    {
        var person = await centre.UnderControlAsync(2);
        using var officer = await centre.SignedInAsync("control");
        var page = await officer.GetStringAsync($"/control/{person}");
        var response = await officer.PostFormAsync($"/control/{person}", $"/control/{person}?handler=release", [new("version", Version().Match(page).Groups[1].Value)]);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("不能解除管控（未做任何更改）", html, StringComparison.Ordinal);
        Assert.Matches("计划解除日期为 \\d{4}-\\d{2}-\\d{2}，今天是 2021-10-23", html);
        Assert.Contains("尚无结果", html, StringComparison.Ordinal);
        await using var check = await centre.Db.OpenConnectionAsync();
        Assert.Equal("under_control", await check.ExecuteScalarAsync<string>(
            "SELECT o.status FROM control_orders o JOIN persons p ON p.id = o.person_id WHERE p.person_key = @person AND o.active = 1", new { person }));
    }

    [Fact]
    public async Task ARefusalFromTheStore_IsToldInChinese_AndInEnglishAfterTheSwitch()
    {
        // A notified contact for centralized quarantine, not in a room (the demo's sites are full): a transfer is dispatched.
        string person;
        await using (var c = await centre.Db.OpenConnectionAsync())
        {
            person = await c.QuerySingleAsync<string>("""
                SELECT p.person_key FROM control_orders o JOIN persons p ON p.id = o.person_id
                WHERE o.active = 1 AND o.status = 'notified' AND o.measure = 'centralized_quarantine' AND p.community_code LIKE @home
                  AND NOT EXISTS (SELECT 1 FROM room_stays s WHERE s.order_id = o.id AND s.checked_out IS NULL)
                ORDER BY p.person_key LIMIT 1
                """, new { home = centre.HomeCounty + "%" });
        }
        using var officer = await centre.SignedInAsync("control");
        var page = await officer.GetStringAsync($"/control/{person}");
        var version = Version().Match(page).Groups[1].Value;
        KeyValuePair<string, string>[] dispatch = [new("to", "transfer_dispatched"), new("version", version), new("vehicle", "宁A·12345"), new("crew", "张医生")];

        var response = await officer.PostFormAsync($"/control/{person}", $"/control/{person}?handler=move", dispatch);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Matches("操作未执行：管控单 #\\d+：点对点转运须先分配房间", html);
        Assert.DoesNotContain("point-to-point", html, StringComparison.Ordinal);

        // The language is kept per user: switched back for the other tests that sign in as this officer.
        Assert.Equal(HttpStatusCode.Redirect, (await officer.PostFormAsync("/", "/language", [new("lang", "en")])).StatusCode);
        try
        {
            response = await officer.PostFormAsync($"/control/{person}", $"/control/{person}?handler=move", dispatch);
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            Assert.Matches("Order #\\d+: a point-to-point transfer goes to a room; assign one first\\.", await response.Content.ReadAsStringAsync());
        }
        finally
        {
            await officer.PostFormAsync("/", "/language", [new("lang", "zh-CN")]);
        }
        await using var check = await centre.Db.OpenConnectionAsync();
        Assert.Equal("notified", await check.ExecuteScalarAsync<string>(
            "SELECT o.status FROM control_orders o JOIN persons p ON p.id = o.person_id WHERE p.person_key = @person AND o.active = 1", new { person }));
    }

    [GeneratedRegex("name=\"version\" value=\"(\\d+)\"")]
    private static partial Regex Version();

}
