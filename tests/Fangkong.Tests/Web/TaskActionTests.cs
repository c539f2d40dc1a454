using System.Net;
using Dapper;

namespace Fangkong.Tests.Web;

/// <summary>
/// Tasks are the way work is done (C11): a task opens the action it asks for, doing the action completes
/// it through the loop, and an action task cannot be ticked off with a note. The community worker tells a
/// person of their measure from a notify task; the testing officer takes the sample of a test task and
/// enters its result; a role that may not see the person's order cannot open the task.
/// </summary>
[Collection(nameof(SqliteCentreCollection))]
public sealed class TaskActionTests(SqliteCentre centre)
{
    [Fact]
    public async Task TheCommunityWorker_NotifiesFromTheTask_AndTheOrderAndTaskMove()
    {
        // An arrival who lives in the community worker's community (registered first: in the demo everyone there is already under an order).
        string community;
        await using (var c = await centre.Db.OpenConnectionAsync())
        {
            community = await c.QuerySingleAsync<string>("SELECT jurisdiction_code FROM accounts WHERE username = 'community'");
        }
        var person = "PT" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var file = await centre.Store.WriteAsync($"{person}.csv", $"person_id,name,community_code,phone\n{person},任务测试,{community},13900000001\n");
        var (imported, _, importErr) = await Support.Cli.RunAsync("--db", centre.Store.DbArgument, "import", "persons", file);
        Assert.True(imported == 0, importErr);
        var (code, _, err) = await Support.Cli.RunAsync("--db", centre.Store.DbArgument, "control", "arrival", person, "--from", "medium", "--left", "2021-10-21");
        Assert.True(code == 0, err);
        long task;
        await using (var c = await centre.Db.OpenConnectionAsync())
        {
            task = await c.QuerySingleAsync<long>(
                "SELECT t.id FROM tasks t JOIN persons p ON p.id = t.person_id WHERE p.person_key = @person AND t.kind = 'notify' AND t.status = 'open'", new { person });
        }

        using var worker = await centre.SignedInAsync("community");
        var board = await worker.GetStringAsync("/tasks?view=open&kind=notify");
        Assert.Contains($"href=\"/tasks/{task}\"", board, StringComparison.Ordinal);
        Assert.DoesNotContain($"data-testid=\"done-{task}\"", board, StringComparison.Ordinal);   // no ticking it off with a note

        // Ticking it off with a note anyway is refused, and changes nothing.
        var ticked = await worker.PostFormAsync("/tasks", "/tasks?handler=done", [new("id", task.ToString(System.Globalization.CultureInfo.InvariantCulture)), new("note", "已告知")]);
        Assert.Equal(HttpStatusCode.Conflict, ticked.StatusCode);
        Assert.Contains("须通过办理完成", await ticked.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var page = await worker.GetStringAsync($"/tasks/{task}");
        Assert.Contains("data-testid=\"do-notify\"", page, StringComparison.Ordinal);
        Assert.Contains("已判定", page, StringComparison.Ordinal);
        var done = await worker.PostFormAsync($"/tasks/{task}", $"/tasks/{task}?handler=notify", [new("version", Version(page))]);
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        var after = await worker.GetStringAsync($"/tasks/{task}");
        Assert.Contains("已完成", after, StringComparison.Ordinal);
        Assert.Contains("已告知", after, StringComparison.Ordinal);
        await using (var c = await centre.Db.OpenConnectionAsync())
        {
            Assert.Equal("notified", await c.QuerySingleAsync<string>(
                "SELECT o.status FROM control_orders o JOIN persons p ON p.id = o.person_id WHERE p.person_key = @person AND o.active = 1", new { person }));
            Assert.Equal("done", await c.QuerySingleAsync<string>("SELECT status FROM tasks WHERE id = @task", new { task }));
        }
    }

    [Fact]
    public async Task TheTestingOfficer_TakesTheSample_ThenEntersTheResult_FromTheTask()
    {
        long task;
        string person;
        await using (var c = await centre.Db.OpenConnectionAsync())
        {
            (task, person) = await c.QueryFirstAsync<(long, string)>("""
                SELECT t.id, p.person_key FROM tasks t JOIN persons p ON p.id = t.person_id
                JOIN control_orders o ON o.person_id = p.id AND o.active = 1
                WHERE t.kind = 'test' AND t.status = 'open' AND p.community_code LIKE @home
                AND EXISTS (SELECT 1 FROM scheduled_tests s WHERE s.order_id = o.id AND s.sampled_at IS NULL)
                ORDER BY t.id DESC
                """, new { home = centre.HomeCounty + "%" });
        }
        using var tester = await centre.SignedInAsync("testing");
        var page = await tester.GetStringAsync($"/tasks/{task}");
        Assert.Contains("data-testid=\"do-sample\"", page, StringComparison.Ordinal);
        var tube = "T-" + Guid.NewGuid().ToString("N")[..10];
        var sampled = await tester.PostFormAsync($"/tasks/{task}", $"/tasks/{task}?handler=sample", [new("sampleKey", tube)]);
        Assert.Equal(HttpStatusCode.Redirect, sampled.StatusCode);
        var next = await tester.GetStringAsync($"/tasks/{task}");
        Assert.Contains(tube, next, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"do-result\"", next, StringComparison.Ordinal);
        var resulted = await tester.PostFormAsync($"/tasks/{task}", $"/tasks/{task}?handler=result", [new("sampleKey", tube), new("outcome", "negative")]);
        Assert.Equal(HttpStatusCode.Redirect, resulted.StatusCode);
        await using var c2 = await centre.Db.OpenConnectionAsync();
        Assert.Equal(("negative", "done"), await c2.QuerySingleAsync<(string, string)>(
            "SELECT s.result, t.status FROM scheduled_tests s, tasks t WHERE s.sample_key = @tube AND t.id = @task", new { tube, task }));
    }

    [Fact]
    public async Task ARoleThatMayNotSeeThePersonsOrder_CannotOpenTheTask_AndAnOutsideTaskIs404()
    {
        long task, outside;
        await using (var c = await centre.Db.OpenConnectionAsync())
        {
            task = await c.QueryFirstAsync<long>("SELECT id FROM tasks WHERE person_id IS NOT NULL AND home_jurisdiction LIKE @home AND status = 'open' ORDER BY id", new { home = centre.HomeCounty + "%" });
            outside = await c.QueryFirstAsync<long>("SELECT id FROM tasks WHERE person_id IS NOT NULL AND home_jurisdiction NOT LIKE @home AND owner_jurisdiction NOT LIKE @home AND owner_jurisdiction <> '640000' ORDER BY id", new { home = centre.HomeCounty + "%" });
        }
        using var checkpoint = await centre.SignedInAsync("checkpoint");
        Assert.Equal(HttpStatusCode.Forbidden, (await checkpoint.GetAsync($"/tasks/{task}")).StatusCode);
        using var control = await centre.SignedInAsync("control");
        Assert.Equal(HttpStatusCode.OK, (await control.GetAsync($"/tasks/{task}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await control.GetAsync($"/tasks/{outside}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await control.GetAsync("/tasks/999999999")).StatusCode);
    }

    [Fact]
    public async Task EachRole_IsOfferedOnlyTheTasksItMayDo()
    {
        async Task<List<(string Kind, string? Person)>> OfferedAsync(string user)
        {
            using var client = await centre.SignedInAsync(user);
            var json = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync("/api/v1/tasks?limit=1000"));
            return [.. json.RootElement.EnumerateArray().Select(t => (t.GetProperty("kind").GetString()!, t.GetProperty("personKey").GetString()))];
        }
        var control = await OfferedAsync("control");
        var testing = await OfferedAsync("testing");
        var community = await OfferedAsync("community");
        var checkpoint = await OfferedAsync("checkpoint");
        Assert.Contains(control, t => t.Kind == "test");
        Assert.Contains(control, t => t.Kind == "transfer" || t.Kind == "release");
        Assert.Contains(testing, t => t.Kind == "test");
        Assert.DoesNotContain(testing, t => t.Kind is "notify" or "transfer" or "release");
        Assert.DoesNotContain(community, t => t.Kind is "test" or "transfer" or "release");
        Assert.All(checkpoint, t => Assert.Null(t.Person));   // a checkpoint officer sees nobody's order, so no task about a person
    }

    [Fact]
    public async Task TheBoard_OpensWhereThereIsWork_AndNumbersItsPages()
    {
        // The testing officer owns no task of their own in the demo: the board opens on the county's open tasks, not an empty "mine".
        using var tester = await centre.SignedInAsync("testing");
        var board = await tester.GetStringAsync("/tasks");
        Assert.Matches("class=\"tag\" data-testid=\"view-open\"", board);
        Assert.Contains("data-testid=\"page-numbers\"", board, StringComparison.Ordinal);

        using var control = await centre.SignedInAsync("control");
        var second = await control.GetStringAsync("/tasks?view=open&size=5&page=2");
        var numbers = second[second.IndexOf("data-testid=\"page-numbers\"", StringComparison.Ordinal)..];
        numbers = numbers[..numbers.IndexOf("</span>", StringComparison.Ordinal)];
        Assert.Contains("<strong aria-current=\"page\">2</strong>", numbers, StringComparison.Ordinal);
        Assert.Contains(">1</a>", numbers, StringComparison.Ordinal);
        Assert.Contains(">3</a>", numbers, StringComparison.Ordinal);
    }

    private static string Version(string html) =>
        System.Text.RegularExpressions.Regex.Match(html, "name=\"version\" value=\"(\\d+)\"").Groups[1].Value;
}
