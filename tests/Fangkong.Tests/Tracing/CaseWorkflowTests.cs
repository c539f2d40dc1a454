using Fangkong.Cli.Commands;
using Fangkong.Policies;
using Fangkong.Storage.Contacts;
using Fangkong.Storage.Tracing;
using Fangkong.Tests.Support;

namespace Fangkong.Tests.Tracing;

/// <summary>Cases from the command line: confirming traces at once, contacts are stored with their evidence, re-running changes nothing.</summary>
[Collection(nameof(Cli.ConsoleCollection))]
public sealed class CaseWorkflowTests
{
    private static async Task<TestStore> StoreWithoutCasesAsync()
    {
        var store = await TestStore.CreateAsync(Fangkong.Storage.StoreProvider.Sqlite);
        await store.WriteAsync("persons.csv", "person_id,name\nA,王丽\nB,马强\nC,李明\n");
        await store.WriteAsync("venues.csv", "venue_id,name,type,community_code\nv1,万达影城,cinema,640104\n");
        await store.WriteAsync("checkins.csv", """
            person_id,venue_id,check_in,check_out
            A,v1,2021-10-16T19:00:00+08:00,2021-10-16T21:00:00+08:00
            B,v1,2021-10-16T19:30:00+08:00,2021-10-16T20:30:00+08:00
            C,v1,2021-10-16T20:50:00+08:00,2021-10-16T22:00:00+08:00
            """);
        foreach (var kind in new[] { "persons", "venues", "checkins" })
        {
            Assert.Equal(0, (await Support.Cli.RunAsync("--db", store.DbArgument, "import", kind, store.File(kind + ".csv"))).Code);
        }
        return store;
    }

    [Fact]
    public async Task ConfirmingACase_TracesAndStoresItsContacts_AndReclassifyingRemovesThem()
    {
        await using var store = await StoreWithoutCasesAsync();
        var (code, output, err) = await Support.Cli.RunAsync("--db", store.DbArgument, "case", "add", "A", "--onset", "2021-10-17", "--report", "2021-10-18T09:00:00+08:00");
        Assert.Equal(0, code);
        Assert.Contains("case A: suspected", output, StringComparison.Ordinal);
        await using (var db = await store.OpenAsync())
        {
            Assert.Empty(await ContactRepository.LoadAsync(db));
        }
        (code, output, err) = await Support.Cli.RunAsync("--db", store.DbArgument, "case", "confirm", "A");
        Assert.True(code == 0, err);
        Assert.Contains("1 close, 0 secondary, 1 general", output, StringComparison.Ordinal);
        await using (var db = await store.OpenAsync())
        {
            var all = await ContactRepository.LoadAsync(db);
            var stored = all.Single(c => c.Finding.Tier == Fangkong.Tracing.ContactTier.Close);
            Assert.Equal(("cn-v8-2021", "8.0", 60L), (stored.PolicyId, stored.PolicyVersion, stored.Finding.Minutes));
            var general = all.Single(c => c.Finding.Tier == Fangkong.Tracing.ContactTier.General);
            Assert.Equal(10, general.Finding.Minutes);   // C: 20:50–21:00 with A, under the 15 minutes
            var again = await TraceRunner.RunAsync(db, PolicyCatalog.Load().Get("cn-v8-2021"), db.Now, store: true);
            Assert.Equal(0, again.Changed);
        }
        (code, output, _) = await Support.Cli.RunAsync("--db", store.DbArgument, "notice", "A");
        Assert.Equal(0, code);
        Assert.Contains("10月16日：19:00—21:00 到访兴庆区万达影城", output, StringComparison.Ordinal);
        Assert.DoesNotContain("王丽", output, StringComparison.Ordinal);
        (code, output, _) = await Support.Cli.RunAsync("--db", store.DbArgument, "case", "reclassify", "A", "not_a_case");
        Assert.Equal(0, code);
        await using (var db = await store.OpenAsync())
        {
            Assert.Empty(await ContactRepository.LoadAsync(db));
        }
    }

    [Fact]
    public async Task InterviewEntries_JoinTheItinerary_AndTheNotice()
    {
        await using var store = await StoreWithoutCasesAsync();
        await Support.Cli.RunAsync("--db", store.DbArgument, "case", "add", "A", "--onset", "2021-10-17", "--report", "2021-10-18T09:00:00+08:00");
        var (code, _, err) = await Support.Cli.RunAsync("--db", store.DbArgument, "itinerary", "add", "A", "--place", "金凤区某农贸市场", "--from", "2021-10-16T08:00:00+08:00", "--to", "2021-10-16T08:40:00+08:00", "--note", "买菜");
        Assert.True(code == 0, err);
        (code, var output, _) = await Support.Cli.RunAsync("--db", store.DbArgument, "itinerary", "A");
        Assert.Equal(0, code);
        var lines = output.Trim().Split('\n');
        Assert.StartsWith("2021-10-16T08:00:00+08:00 – 2021-10-16T08:40:00+08:00  金凤区某农贸市场", lines[0], StringComparison.Ordinal);
        Assert.Contains("万达影城 (兴庆区)  [check-in]", lines[1], StringComparison.Ordinal);
        (_, output, _) = await Support.Cli.RunAsync("--db", store.DbArgument, "notice", "A");
        Assert.Contains("10月16日：08:00—08:40 到访金凤区某农贸市场；19:00—21:00 到访兴庆区万达影城", output, StringComparison.Ordinal);
        Assert.DoesNotContain("买菜", output, StringComparison.Ordinal);
        (code, _, err) = await Support.Cli.RunAsync("--db", store.DbArgument, "itinerary", "add", "A", "--place", "x", "--from", "2021-10-16T09:00:00+08:00", "--to", "2021-10-16T08:00:00+08:00");
        Assert.Equal(2, code);
        Assert.Contains("--to is before --from", err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("case add A --report 2021-10-18T09:00:00+08:00", "a case needs --onset or --sampling")]
    [InlineData("case add A --onset 2021-10-17 --report 2021-10-16T09:00:00+08:00", "is before the onset date 2021-10-17")]
    [InlineData("case add A --onset 2021-10-17 --report 2021-10-18T09:00:00", "--report '2021-10-18T09:00:00' is not an ISO 8601 time with an offset")]
    [InlineData("case add Z --onset 2021-10-17", "no person with person_id 'Z'")]
    [InlineData("case confirm B", "person_id 'B' has no case")]
    public async Task BadCaseInput_IsRefused_WithTheReason(string command, string reason)
    {
        await using var store = await StoreWithoutCasesAsync();
        var (code, _, err) = await Support.Cli.RunAsync(["--db", store.DbArgument, .. command.Split(' ')]);
        Assert.Equal(2, code);
        Assert.Contains(reason, err, StringComparison.Ordinal);
    }
}
