using Fangkong.Application.Access;
using Fangkong.Application.Control;
using Fangkong.Application;
using Fangkong.Control;
using Fangkong.Jurisdictions;
using Fangkong.Staff;
using Fangkong.Storage.Audit;
using Fangkong.Storage.Control;
using Fangkong.Storage;
using Fangkong.Tests.Control;
using Fangkong.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Fangkong.Tests.Application;

/// <summary>
/// SPEC 7: every change from every channel is in the audit log. A step taken on the command line is
/// recorded with its actor and channel <c>cli</c>, like one taken in the browser; so is a refusal.
/// </summary>
[Collection(nameof(Tests.Cli.ConsoleCollection))]
public sealed class CliAuditTests
{
    private const string T0 = "2021-10-18T12:00:00+08:00";

    [Theory]
    [MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task ControlMoveFromTheCommandLine_IsAuditedWithChannelCli(StoreProvider provider)
    {
        await using var store = await ControlWorkflowTests.OutbreakAsync(provider);
        await ControlWorkflowTests.Ok(store, "--now", T0, "case", "add", "A", "--classification", "confirmed", "--onset", "2021-10-17", "--report", "2021-10-18T09:00:00+08:00");
        await ControlWorkflowTests.Ok(store, "--now", T0, "--actor", "W1", "control", "move", "B", "notified");
        await ControlWorkflowTests.Refused(store, "already notified", "--now", T0, "--actor", "W1", "control", "move", "B", "notified");

        await using var db = await store.OpenAsync();
        var (moves, _) = await AuditSearch.FindAsync(db, new AuditFilter(Action: "control.notified"), 0, 10);
        Assert.Collection(moves.OrderBy(m => m.Seq),
            done =>
            {
                Assert.Equal(("W1", "control.notified", "person:B", "cli", "cli"), (done.Actor, done.Action, done.Target, done.Channel, done.Source));
                Assert.Contains("已判定 → 已告知", global::Fangkong.Application.Text.Texts.Default.AuditDetail("zh-CN", done.Detail), StringComparison.Ordinal);
            },
            refused => Assert.Equal(("W1", "control.notified.refused", "person:B", "cli"), (refused.Actor, refused.Action, refused.Target, refused.Channel)));
        var (cases, _) = await AuditSearch.FindAsync(db, new AuditFilter(Action: "case.add", Target: "person:A"), 0, 10);
        Assert.Equal("cli", Assert.Single(cases).Channel);
        // The set-up of the outbreak on the command line is audited too: three responders and a site.
        var (staff, _) = await AuditSearch.FindAsync(db, new AuditFilter(Action: "staff.add"), 0, 10);
        Assert.Equal(["staff:W1", "staff:W2", "staff:W3"], staff.Select(e => e.Target).Order());
        var (sites, _) = await AuditSearch.FindAsync(db, new AuditFilter(Action: "site.add"), 0, 10);
        Assert.Equal(("site:Q1", "cli"), (Assert.Single(sites).Target, sites[0].Channel));
        var (traces, _) = await AuditSearch.FindAsync(db, new AuditFilter(Action: "trace.run"), 0, 10);
        Assert.NotEmpty(traces);
        // The batch contract's stored trace is the same re-trace, audited as the operator's.
        await ControlWorkflowTests.Ok(store, "--now", T0, "--actor", "analyst", "trace", "--out", Path.Combine(store.Folder, "contacts.csv"));
        var (batch, _) = await AuditSearch.FindAsync(db, new AuditFilter(Action: "trace.run", Actor: "analyst"), 0, 10);
        Assert.Equal("cli", Assert.Single(batch).Channel);
        Assert.True((await AuditSearch.VerifyAsync(db)).Intact);

        var printed = await ControlWorkflowTests.Ok(store, "audit", "log", "--action", "control.notified");
        Assert.Contains("control.notified", printed, StringComparison.Ordinal);
        Assert.Contains("cli", printed, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task TaskDoneFromTheCommandLine_IsAudited(StoreProvider provider)
    {
        await using var store = await ControlWorkflowTests.OutbreakAsync(provider);
        await ControlWorkflowTests.Ok(store, "--now", T0, "case", "add", "A", "--classification", "confirmed", "--onset", "2021-10-17", "--report", "2021-10-18T09:00:00+08:00");
        await using var db = await store.OpenAsync();
        // A notify task is done by notifying, not by a note: refused, and the refusal audited.
        var notify = (await Fangkong.Storage.Tasks.TaskRepository.ListAsync(db, new Fangkong.Storage.Tasks.TaskQuery())).First(t => t.Status == "open" && t.Kind == "notify");
        await ControlWorkflowTests.Refused(store, "done by its action", "--now", T0, "--actor", "W1", "task", "done", notify.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--note", "电话已告知");
        var (refused, _) = await AuditSearch.FindAsync(db, new AuditFilter(Action: "task.done.refused", Target: $"task:{notify.Id}"), 0, 10);
        Assert.Equal(("W1", "cli"), (Assert.Single(refused).Actor, refused[0].Channel));

        // A fever to follow up is a judgement: completed with a note saying what was done.
        await ControlWorkflowTests.Ok(store, "--now", T0, "control", "check", notify.PersonKey!, "--temperature", "38.6");
        var fever = (await Fangkong.Storage.Tasks.TaskRepository.ListAsync(db, new Fangkong.Storage.Tasks.TaskQuery())).First(t => t.Status == "open" && t.Kind == "fever");
        await ControlWorkflowTests.Ok(store, "--now", T0, "--actor", "W1", "task", "done", fever.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--note", "已送发热门诊");
        var (done, _) = await AuditSearch.FindAsync(db, new AuditFilter(Action: "task.done", Target: $"task:{fever.Id}"), 0, 10);
        var entry = Assert.Single(done);
        Assert.Equal(("W1", "已送发热门诊", "cli"), (entry.Actor, entry.Detail, entry.Channel));
    }

    [Theory]
    [MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task AHandler_RefusesAPersonOutsideTheActorsJurisdiction_AndAuditsTheAttempt(StoreProvider provider)
    {
        await using var store = await ControlWorkflowTests.OutbreakAsync(provider);
        await ControlWorkflowTests.Ok(store, "--now", T0, "case", "add", "A", "--classification", "confirmed", "--onset", "2021-10-17", "--report", "2021-10-18T09:00:00+08:00");
        await using var db = await store.OpenAsync();
        await using var app = Support.App.Services(db);
        // A control officer of 金凤区 (640106) through the API; B lives in 兴庆区 (640104).
        var officer = new Actor("jf-control", JurisdictionCode.Parse("640106"), RolePermissions.Of(StaffRole.ControlOfficer).ToHashSet(), Channel.Api, "127.0.0.9");
        await Assert.ThrowsAsync<OutsideJurisdictionException>(() =>
            app.GetRequiredService<MoveOrder>().HandleAsync(officer, new MoveOrderCommand("B", ControlStatus.Notified, new MoveDetails())));
        var b = (await Fangkong.Storage.People.PersonRepository.FindAsync(db, "B"))!;
        Assert.Equal(ControlStatus.Identified, (await Fangkong.Storage.Control.ControlRepository.ActiveForAsync(db, b.Id))!.Status);
        var (denied, _) = await AuditSearch.FindAsync(db, new AuditFilter(Action: "access.denied", Target: "person:B"), 0, 10);
        var entry = Assert.Single(denied);
        Assert.Equal(("jf-control", "api", "127.0.0.9", "640106", "control.notified"), (entry.Actor, entry.Channel, entry.Source, entry.Scope, entry.Detail));
        // The same officer acts on C, who lives in 金凤区.
        await app.GetRequiredService<MoveOrder>().HandleAsync(officer, new MoveOrderCommand("C", ControlStatus.Notified, new MoveDetails()));
    }
}
