using System.Net;
using Fangkong.Text;

namespace Fangkong.Tests.Web;

/// <summary>
/// One language at a time: what the system wrote (the loop log, the system's own actors, the missing
/// audit, an export's watermark) reads in the user's language, Chinese by default and English when
/// switched; the screens say when the store's clock is simulated.
/// </summary>
[Collection(nameof(SqliteCentreCollection))]
public sealed class OneLanguageTests(SqliteCentre centre)
{
    [Fact]
    public void APhrase_IsWrittenOnce_AndReadInEachLanguage_WhileTypedTextStaysAsTyped()
    {
        var stored = LoopLog.Write("measure", Phrase.Text("measure.centralized_quarantine"), Phrase.Text("measure.home_quarantine"), "孕晚期，居家更安全");
        var texts = Fangkong.Application.Text.Texts.Default;
        Assert.Equal("管控措施 集中隔离 → 居家隔离：孕晚期，居家更安全", texts.Render("zh-CN", LoopLog.Read(stored)));
        Assert.Equal("measure Centralized quarantine → Home quarantine: 孕晚期，居家更安全", texts.Render("en", LoopLog.Read(stored)));
        // A reason someone typed, or an entry of an older store, is shown as it is — even one that looks like a phrase.
        Assert.Equal("家属陪同", texts.Render("zh-CN", LoopLog.Read("家属陪同")));
        Assert.Equal("[\"event.broken", texts.Render("en", LoopLog.Read("[\"event.broken")));
    }

    [Fact]
    public async Task TheLoopLog_AndItsActors_ReadInTheUsersLanguage()
    {
        var key = await centre.UnderControlAsync(0);
        using var control = await centre.SignedInAsync("control");
        var zh = await control.GetStringAsync($"/control/{key}");
        Assert.DoesNotContain("[&quot;event.", zh, StringComparison.Ordinal);
        Assert.DoesNotContain("[\"event.", zh, StringComparison.Ordinal);
        Assert.Contains("依据 cn-v8-2021", zh, StringComparison.Ordinal);
        Assert.Contains(">系统<", zh, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"simulated-clock\"", zh, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Redirect, (await control.PostFormAsync("/", "/language", [new("lang", "en")])).StatusCode);
        try
        {
            var en = await control.GetStringAsync($"/control/{key}");
            Assert.Contains("under cn-v8-2021", en, StringComparison.Ordinal);
            Assert.Contains(">system<", en, StringComparison.Ordinal);
            Assert.DoesNotContain("依据", en, StringComparison.Ordinal);
            Assert.Contains("Simulated time", en, StringComparison.Ordinal);
        }
        finally
        {
            await control.PostFormAsync("/", "/language", [new("lang", "zh-CN")]);
        }
    }

    [Fact]
    public async Task TheMissingAudit_AndAnExportsWatermark_AreInChinese()
    {
        using var commander = await centre.SignedInAsync("commander");
        var missing = await commander.GetStringAsync("/missing");
        foreach (var english in new[] { "has no control order", "not sampled", "no monitor named", "without a release decision", "without a room", "transfer deadline" })
        {
            Assert.DoesNotContain(english, missing, StringComparison.Ordinal);
        }
        await commander.PostFormAsync("/confirm", "/confirm", [new("password", CommandCentreFixture.Password)]);   // exports of personal data ask for the password again
        var exported = await commander.GetAsync("/contacts?handler=export&format=csv");
        Assert.Equal(HttpStatusCode.OK, exported.StatusCode);
        var csv = await exported.Content.ReadAsStringAsync();
        var last = csv.TrimEnd().Split('\n')[^1];
        Assert.StartsWith("# 防控指挥平台导出：commander", last.Trim('"'), StringComparison.Ordinal);

        // The audit log says its times are real while the business data's clock is simulated.
        using var auditor = await centre.SignedInAsync("auditor");
        var audit = await auditor.GetStringAsync("/audit");
        Assert.Contains("data-testid=\"clock-note\"", audit, StringComparison.Ordinal);
        Assert.Contains("时间（实际）", audit, StringComparison.Ordinal);
    }

    /// <summary>
    /// The audit log reads in the user's language: every action the store holds has a label in both
    /// languages, the system's own details are phrases (no key or English sentence shows in Chinese), and a
    /// refusal is read from its code.
    /// </summary>
    [Fact]
    public async Task TheAuditLog_ReadsInTheUsersLanguage()
    {
        var texts = global::Fangkong.Application.Text.Texts.Default;
        await using var c = await centre.Db.OpenConnectionAsync();
        var actions = (await Dapper.SqlMapper.QueryAsync<string>(c, "SELECT DISTINCT action FROM audit_log")).ToList();
        Assert.Contains("trace.run", actions);
        foreach (var lang in new[] { "zh-CN", "en" })
        {
            Assert.DoesNotContain(actions, a => texts.AuditAction(lang, a) == a);
        }
        Assert.Equal("解除管控（被拒绝）", texts.AuditAction("zh-CN", "control.release.refused"));
        Assert.Equal("Control status set to: Notified", texts.AuditAction("en", "control.notified"));
        Assert.Equal("任务批量操作：告知", texts.AuditAction("zh-CN", "task.bulk.notify"));
        Assert.Equal("批量办理：分配房间", texts.AuditAction("zh-CN", "control.round.place"));

        var refusal = AuditDetail.Refusal("task.bulkTooMany", [200], "at most 200 tasks at once");
        Assert.DoesNotContain("at most", texts.AuditDetail("zh-CN", refusal), StringComparison.Ordinal);
        Assert.Contains("200", texts.AuditDetail("zh-CN", refusal), StringComparison.Ordinal);
        Assert.Equal("no such code here", texts.AuditDetail("zh-CN", AuditDetail.Refusal("not.a.code", [], "no such code here")));
        Assert.Equal("typed by someone", texts.AuditDetail("zh-CN", "typed by someone"));

        using var auditor = await centre.SignedInAsync("auditor");
        var zh = await auditor.GetStringAsync("/audit?action=trace.run");
        Assert.Contains("流调追踪", zh, StringComparison.Ordinal);
        Assert.Contains("名接触者", zh, StringComparison.Ordinal);
        Assert.DoesNotContain("contact(s)", zh, StringComparison.Ordinal);
        Assert.DoesNotContain("[&quot;audit.", zh, StringComparison.Ordinal);
        // A release's basis (a phrase of the loop log inside the audit's) and a refused release's unmet criteria read in each language.
        var released = AuditDetail.Write("release", "7", LoopLog.Write("release.contactThen", "2021-10-30", "3", Phrase.Text("event.release.closeNegative"), Phrase.Text("measure.home_health_monitoring"), "9"));
        Assert.Equal("管控 #7：计划解除日期 2021-10-30 已到，3 次核酸检测均为阴性；对应密接的前几次检测均为阴性；转为居家健康监测（管控 #9）", texts.AuditDetail("zh-CN", released));
        Assert.Equal("order #7: planned end 2021-10-30 reached; 3 scheduled test(s) negative; the close contact's first tests negative; continues as Home health monitoring (order #9)", texts.AuditDetail("en", released));
        var refusedRelease = AuditDetail.Write("releaseRefused", "7", Phrase.Of("release.unmet.not_under_control").Encode(), Phrase.Of("release.unmet.test_no_result", "3", "2021-10-25").Encode());
        Assert.Equal("管控 #7 不能解除：此人尚未处于管控中；第 3 天核酸检测（2021-10-25）尚无结果", texts.AuditDetail("zh-CN", refusedRelease));
        Assert.Equal(HttpStatusCode.Redirect, (await auditor.PostFormAsync("/", "/language", [new("lang", "en")])).StatusCode);
        try
        {
            var en = await auditor.GetStringAsync("/audit?action=trace.run");
            Assert.Contains("Contact tracing run", en, StringComparison.Ordinal);
            Assert.Contains("contact(s)", en, StringComparison.Ordinal);
            Assert.DoesNotContain("流调追踪", en, StringComparison.Ordinal);
        }
        finally
        {
            await auditor.PostFormAsync("/", "/language", [new("lang", "zh-CN")]);
        }
    }
}
