using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Dapper;
using Fangkong.Storage.Tasks;

namespace Fangkong.Tests.Web;

/// <summary>
/// A task board for hundreds of tasks: a selection is notified or completed at once where the action
/// allows it (and only what the user may act on moves), the board comes back with its filters and page,
/// and its groups count what the list holds.
/// </summary>
[Collection(nameof(SqliteCentreCollection))]
public sealed partial class TaskBoardTests(SqliteCentre centre)
{
    [Fact]
    public async Task TheCommunityWorker_NotifiesASelection_OnlyTheirOwnMove_AndTheBoardKeepsItsFilters()
    {
        var (community, people) = await ArrivalsInTheWorkersCommunityAsync(3);
        List<long> mine;
        long outside;
        await using (var c = await centre.Db.OpenConnectionAsync())
        {
            mine = [.. await c.QueryAsync<long>(
                "SELECT t.id FROM tasks t JOIN persons p ON p.id = t.person_id WHERE p.person_key IN @people AND t.kind = 'notify' AND t.status = 'open' ORDER BY t.id", new { people })];
            outside = await c.QueryFirstAsync<long>(
                "SELECT id FROM tasks WHERE status = 'open' AND home_jurisdiction <> @community AND owner_jurisdiction NOT LIKE @prefix ORDER BY id",
                new { community, prefix = community + "%" });
        }
        Assert.Equal(3, mine.Count);

        using var worker = await centre.SignedInAsync("community");
        var board = await worker.GetStringAsync("/tasks?view=open&kind=notify&size=20");
        Assert.Contains("data-testid=\"select-all\"", board, StringComparison.Ordinal);
        foreach (var id in mine)
        {
            Assert.Contains($"data-testid=\"pick-{id}\"", board, StringComparison.Ordinal);
        }
        // The form sends the three and a task of another community (as a tampered form would).
        var fields = mine.Append(outside).Select(id => new KeyValuePair<string, string>("ids", id.ToString(CultureInfo.InvariantCulture))).ToList();
        fields.Add(new("bulkAction", "notify"));
        var posted = await worker.PostFormAsync("/tasks?view=open&kind=notify&size=20", "/tasks?handler=bulk&kind=notify&size=20&view=open", fields);
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Equal("/tasks?kind=notify&size=20&view=open", posted.Headers.Location!.OriginalString);

        var after = await worker.GetStringAsync(posted.Headers.Location.OriginalString);
        var message = MessagePattern().Match(after).Groups[1].Value;
        Assert.Contains("已办结 3 项", message, StringComparison.Ordinal);
        Assert.Contains("1 项未办", message, StringComparison.Ordinal);
        Assert.Contains("任务不存在或不在本辖区", message, StringComparison.Ordinal);
        Assert.Contains("<option value=\"notify\" selected=\"selected\">", after, StringComparison.Ordinal);   // still the notify filter
        await using (var c = await centre.Db.OpenConnectionAsync())
        {
            Assert.Equal(3, await c.QuerySingleAsync<int>(
                "SELECT COUNT(*) FROM control_orders o JOIN persons p ON p.id = o.person_id WHERE p.person_key IN @people AND o.active = 1 AND o.status = 'notified' AND o.notified_at IS NOT NULL", new { people }));
            Assert.Equal(3, await c.QuerySingleAsync<int>("SELECT COUNT(*) FROM tasks WHERE id IN @mine AND status = 'done' AND done_by = 'community'", new { mine }));
            Assert.Equal("open", await c.QuerySingleAsync<string>("SELECT status FROM tasks WHERE id = @outside", new { outside }));
        }

        // Notifying them again leaves them, saying why; nothing moves twice.
        var again = await worker.PostFormAsync("/tasks?view=open", "/tasks?handler=bulk&view=open", [.. mine.Select(id => new KeyValuePair<string, string>("ids", id.ToString(CultureInfo.InvariantCulture))), new("bulkAction", "notify")]);
        var second = MessagePattern().Match(await worker.GetStringAsync(again.Headers.Location!.OriginalString)).Groups[1].Value;
        Assert.Contains("已办结 0 项", second, StringComparison.Ordinal);
        Assert.Contains("任务已办结", second, StringComparison.Ordinal);
        await using var c2 = await centre.Db.OpenConnectionAsync();
        Assert.Equal(3, await c2.QuerySingleAsync<int>(
            "SELECT COUNT(*) FROM control_events e JOIN control_orders o ON o.id = e.order_id JOIN persons p ON p.id = o.person_id WHERE p.person_key IN @people AND e.to_status = 'notified'", new { people }));
    }

    [Fact]
    public async Task ABulkCompletion_TakesJudgementTasks_WithTheNote_AndLeavesActionTasks()
    {
        var (_, people) = await ArrivalsInTheWorkersCommunityAsync(2);
        foreach (var person in people)
        {
            var (code, _, err) = await Support.Cli.RunAsync("--db", centre.Store.DbArgument, "control", "check", person, "--temperature", "38.4", "--symptoms", "咳嗽");
            Assert.True(code == 0, err);
        }
        List<long> fevers, notify;
        await using (var c = await centre.Db.OpenConnectionAsync())
        {
            fevers = [.. await c.QueryAsync<long>("SELECT t.id FROM tasks t JOIN persons p ON p.id = t.person_id WHERE p.person_key IN @people AND t.kind = 'fever' AND t.status = 'open'", new { people })];
            notify = [.. await c.QueryAsync<long>("SELECT t.id FROM tasks t JOIN persons p ON p.id = t.person_id WHERE p.person_key IN @people AND t.kind = 'notify' AND t.status = 'open'", new { people })];
        }
        Assert.Equal(2, fevers.Count);
        Assert.Equal(2, notify.Count);

        using var worker = await centre.SignedInAsync("community");
        var fields = fevers.Concat(notify).Select(id => new KeyValuePair<string, string>("ids", id.ToString(CultureInfo.InvariantCulture))).ToList();
        fields.Add(new("bulkAction", "done"));
        fields.Add(new("note", "已电话随访，转发热门诊"));
        var posted = await worker.PostFormAsync("/tasks?view=open", "/tasks?handler=bulk&view=open&page=1", fields);
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Equal("/tasks?page=1&view=open", posted.Headers.Location!.OriginalString);
        var message = MessagePattern().Match(await worker.GetStringAsync(posted.Headers.Location.OriginalString)).Groups[1].Value;
        Assert.Contains("已办结 2 项", message, StringComparison.Ordinal);
        Assert.Contains("2 项未办：须逐项办理其动作", message, StringComparison.Ordinal);
        await using (var c = await centre.Db.OpenConnectionAsync())
        {
            Assert.Equal(2, await c.QuerySingleAsync<int>("SELECT COUNT(*) FROM tasks WHERE id IN @fevers AND status = 'done' AND note = '已电话随访，转发热门诊'", new { fevers }));
            Assert.Equal(2, await c.QuerySingleAsync<int>("SELECT COUNT(*) FROM tasks WHERE id IN @notify AND status = 'open'", new { notify }));
            Assert.True(await c.QuerySingleAsync<int>("SELECT COUNT(*) FROM audit_log WHERE action = 'task.bulk.done' AND actor = 'community'") >= 1);
        }

        // Nothing selected: refused, said so.
        var none = await worker.PostFormAsync("/tasks?view=open", "/tasks?handler=bulk&view=open", [new("bulkAction", "done")]);
        Assert.Equal(HttpStatusCode.Conflict, none.StatusCode);
        Assert.Contains("未选择任务", await none.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheBoardsGroups_CountWhatItsFilteredListsHold()
    {
        using var control = await centre.SignedInAsync("control");
        var grouped = await control.GetStringAsync("/tasks?view=open&group=kind");
        var total = Total(grouped);
        var groups = GroupPattern().Matches(grouped).Select(m => (Link: WebUtility.HtmlDecode(m.Groups[1].Value), Count: long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture))).ToList();
        Assert.NotEmpty(groups);
        Assert.Equal(total, groups.Sum(g => g.Count));
        foreach (var (link, count) in groups)
        {
            Assert.Equal(count, Total(await control.GetStringAsync(link)));   // the group's own list, counted apart
        }
        Assert.Contains("class=\"group-head\"", grouped, StringComparison.Ordinal);
    }

    private static long Total(string html) => long.Parse(TotalPattern().Match(html).Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);

    /// <summary>People arriving from a risk area into the community worker's community: each gets an order at 已判定 and a notify task.</summary>
    private async Task<(string Community, List<string> People)> ArrivalsInTheWorkersCommunityAsync(int n)
    {
        string community;
        await using (var c = await centre.Db.OpenConnectionAsync())
        {
            community = await c.QuerySingleAsync<string>("SELECT jurisdiction_code FROM accounts WHERE username = 'community'");
        }
        var people = Enumerable.Range(0, n).Select(_ => "PB" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant()).ToList();
        var file = await centre.Store.WriteAsync($"{people[0]}.csv",
            "person_id,name,community_code,phone\n" + string.Concat(people.Select((p, i) => $"{p},批量测试{i},{community},1390000{i:0000}\n")));
        var (imported, _, importErr) = await Support.Cli.RunAsync("--db", centre.Store.DbArgument, "import", "persons", file);
        Assert.True(imported == 0, importErr);
        foreach (var person in people)
        {
            var (code, _, err) = await Support.Cli.RunAsync("--db", centre.Store.DbArgument, "control", "arrival", person, "--from", "medium", "--left", "2021-10-21");
            Assert.True(code == 0, err);
        }
        return (community, people);
    }

    [GeneratedRegex("data-testid=\"message\">([^<]*)<")]
    private static partial Regex MessagePattern();

    [GeneratedRegex("<a href=\"([^\"]+)\" class=\"[^\"]*\">[^<]*<strong>(\\d+)</strong></a>")]
    private static partial Regex GroupPattern();

    [GeneratedRegex("共 ([\\d,]+) ")]
    private static partial Regex TotalPattern();
}

/// <summary>A board's groups (by kind, community, due day) against a brute force over the same tasks, on each store.</summary>
public abstract class TaskBoardGroupTests(CommandCentreFixture centre)
{
    [Theory]
    [InlineData(TaskGrouping.Kind)]
    [InlineData(TaskGrouping.Community)]
    [InlineData(TaskGrouping.DueDay)]
    public async Task TheGroups_AreWhatABruteForceCounts(TaskGrouping grouping)
    {
        var q = new TaskQuery(Within: Fangkong.Jurisdictions.JurisdictionCode.Parse(centre.HomeCounty), Limit: 1_000_000, WithResidents: true);
        var groups = await TaskRepository.BoardGroupsAsync(centre.Db, q, grouping, 100_000);
        string Key(Fangkong.Tasks.TaskItem t) => grouping switch
        {
            TaskGrouping.Kind => t.Kind,
            TaskGrouping.Community => t.HomeJurisdiction,
            _ => centre.Db.Calendar.LocalDate(t.DueAt).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        };
        var all = await TaskRepository.ListAsync(centre.Db, q);
        Assert.NotEmpty(all);
        var expected = all.GroupBy(Key).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (g.Key, (long)g.Count(), g.Min(t => t.DueAt))).ToList();
        Assert.Equal(expected, groups.Select(d => (d.Key, d.Count, d.FirstDue)).ToList());

        // A page of a grouped board holds each group's rows together, in the groups' order.
        var page = await TaskRepository.FindAsync(centre.Db, q, new Fangkong.Storage.PageRequest(1, 500), grouping: grouping);
        var seen = page.Rows.Select(Key).ToList();
        Assert.Equal(seen.Order(StringComparer.Ordinal).ToList(), seen);
    }
}

[Collection(nameof(SqliteCentreCollection))]
public sealed class TaskBoardGroupsOnSqlite(SqliteCentre centre) : TaskBoardGroupTests(centre);

[Collection(nameof(PostgresCentreCollection))]
public sealed class TaskBoardGroupsOnPostgres(PostgresCentre centre) : TaskBoardGroupTests(centre);
