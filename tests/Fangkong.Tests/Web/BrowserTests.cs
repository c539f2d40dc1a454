using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Playwright;

namespace Fangkong.Tests.Web;

/// <summary>
/// The command centre in real headless Chromium: each role signs in and does its main job end to end
/// (record and confirm a case → its contacts → place a contact in a room and close the loop → complete
/// a task), the map and the curve render, masking shows, the language switches, no page logs an error
/// (a content-security-policy violation would), and screenshots of the main screens are kept.
/// </summary>
[Collection(nameof(SqliteCentreCollection))]
public sealed class BrowserTests(SqliteCentre centre, Browser browser)
{
    private sealed record Session(IBrowserContext Context, IPage Page, List<string> Errors) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await Context.DisposeAsync();
    }

    private async Task<Session> SignInAsync(string user, int width = 1366, int height = 900)
    {
        var context = await browser.Chromium.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height }, Locale = "zh-CN" });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") { errors.Add(m.Text); } };
        page.PageError += (_, e) => errors.Add(e);
        await page.GotoAsync(new Uri(centre.BaseAddress, "/").ToString());
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/signin"));
        await page.FillAsync("input[name=username]", user);
        await page.FillAsync("input[name=password]", CommandCentreFixture.Password);
        await page.ClickAsync("[data-testid=signin-submit]");
        await Assertions.Expect(page.Locator("[data-testid=figures]")).ToBeVisibleAsync();
        return new Session(context, page, errors);
    }

    private string Url(string path) => new Uri(centre.BaseAddress, path).ToString();

    private static async Task ShotAsync(IPage page, string name) => await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Browser.Screenshots, name + ".png"), FullPage = true });

    [Fact]
    public async Task TheMainJob_FromCaseToContactsToRoomToTask()
    {
        // A secondary contact of the demo county who turns out to be infected (the demo's outbreak has reached everyone there).
        string candidate;
        await using (var c = await centre.Db.OpenConnectionAsync())
        {
            candidate = await c.QueryFirstAsync<string>("""
                SELECT p.person_key FROM persons p JOIN control_orders o ON o.person_id = p.id AND o.active = 1
                WHERE o.grp = 'secondary' AND p.community_code LIKE @home AND NOT EXISTS (SELECT 1 FROM cases k WHERE k.person_id = p.id)
                ORDER BY p.person_key
                """, new { home = centre.HomeCounty + "%" });
        }

        // The investigator records the case as suspected, then confirms it: tracing runs at once.
        await using (var s = await SignInAsync("investigator"))
        {
            var page = s.Page;
            await page.GotoAsync(Url("/cases/new"));
            await page.FillAsync("input[name=PersonKey]", candidate);
            await page.FillAsync("input[name=Onset]", "2021-10-21");
            await page.ClickAsync("[data-testid=case-submit]");
            await Assertions.Expect(page.Locator("[data-testid=classification]")).ToHaveTextAsync("疑似病例");
            await page.ClickAsync("[data-testid=classify-confirmed]");
            await Assertions.Expect(page.Locator("[data-testid=classification]")).ToHaveTextAsync("确诊病例");
            await Assertions.Expect(page.Locator("[data-testid=message]")).ToContainTextAsync("正在全库重新流调");
            var closeRows = page.Locator("[data-testid=contacts] tbody tr", new PageLocatorOptions { HasText = "密接" });
            if (await page.Locator("[data-testid=tracing]").CountAsync() > 0)
            {
                // Listed at once from the index in memory while the whole store is traced behind.
                Assert.True(await closeRows.CountAsync() >= 1, "the household members are close contacts, listed at once");
            }
            await centre.TracedAsync();
            await page.ReloadAsync();
            await Assertions.Expect(page.Locator("[data-testid=tracing]")).ToHaveCountAsync(0);
            Assert.True(await closeRows.CountAsync() >= 1, "the household members are stored as close contacts");
            await Assertions.Expect(page.Locator("#chain svg")).ToBeVisibleAsync();
            await ShotAsync(page, "case-page");
            Assert.Empty(s.Errors);
        }

        string contact;
        await using (var c = await centre.Db.OpenConnectionAsync())
        {
            contact = await c.QueryFirstAsync<string>("""
                SELECT p.person_key FROM contacts k JOIN persons p ON p.id = k.person_id JOIN persons ip ON ip.id = k.index_person_id
                JOIN control_orders o ON o.person_id = p.id AND o.active = 1
                WHERE ip.person_key = @candidate AND k.tier = 'close' AND o.status IN ('identified', 'notified') AND o.measure = 'centralized_quarantine'
                  AND p.community_code LIKE @home AND NOT EXISTS (SELECT 1 FROM room_stays r WHERE r.person_id = p.id AND r.checked_out IS NULL)
                ORDER BY o.status, p.person_key
                """, new { candidate, home = centre.HomeCounty + "%" });
        }

        // The control officer notifies the contact, places them in a room, and closes the loop.
        await using (var s = await SignInAsync("control"))
        {
            var page = s.Page;
            await page.GotoAsync(Url($"/control/{contact}"));
            // Upgraded from a secondary contact, the order may already be notified; a new one starts identified.
            if (await page.Locator("[data-testid=status]").InnerTextAsync() == "已判定")
            {
                await page.ClickAsync("[data-testid=move-notified]");
            }
            await Assertions.Expect(page.Locator("[data-testid=status]")).ToHaveTextAsync("已告知");
            await page.ClickAsync("[data-testid=place]");
            await Assertions.Expect(page.Locator("[data-testid=room]")).ToContainTextAsync(CommandCentreFixture.TestSite);
            await page.FillAsync("input[name=vehicle]", "宁A·12345");
            await page.FillAsync("input[name=crew]", "张三、李四");
            await page.ClickAsync("[data-testid=move-transfer_dispatched]");
            await Assertions.Expect(page.Locator("[data-testid=status]")).ToHaveTextAsync("转运中");
            await page.ClickAsync("[data-testid=move-arrived]");
            await page.ClickAsync("[data-testid=move-under_control]");
            await Assertions.Expect(page.Locator("[data-testid=status]")).ToHaveTextAsync("管控中");
            // Every step is in the loop's record with its actor.
            var steps = page.Locator("[data-testid=events] tbody tr", new PageLocatorOptions { HasText = "control" });
            await Assertions.Expect(steps.Filter(new LocatorFilterOptions { HasText = "已到达 → 管控中" })).ToHaveCountAsync(1);
            await Assertions.Expect(steps.Filter(new LocatorFilterOptions { HasText = "已告知 → 转运中" })).ToHaveCountAsync(1);
            await ShotAsync(page, "control-person");

            // A refused step says why and changes nothing.
            await page.FillAsync("input[name=reason]", "");
            await page.ClickAsync("[data-testid=move-lost]");
            await Assertions.Expect(page.Locator("[data-testid=error]")).ToContainTextAsync("原因");
            await Assertions.Expect(page.Locator("[data-testid=status]")).ToHaveTextAsync("管控中");
            // The refused step answered 400, which the browser logs; nothing else may be logged.
            Assert.DoesNotContain(s.Errors, e => !e.Contains("400", StringComparison.Ordinal));
        }

        // The community worker, on a phone, tells an arrival of their community of their measure from the notify task.
        string community;
        await using (var c = await centre.Db.OpenConnectionAsync())
        {
            community = await c.QuerySingleAsync<string>("SELECT jurisdiction_code FROM accounts WHERE username = 'community'");
        }
        var arrival = "PB" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var file = await centre.Store.WriteAsync($"{arrival}.csv", $"person_id,name,community_code,phone\n{arrival},上门告知,{community},13900000002\n");
        Assert.Equal(0, (await Support.Cli.RunAsync("--db", centre.Store.DbArgument, "import", "persons", file)).Code);
        Assert.Equal(0, (await Support.Cli.RunAsync("--db", centre.Store.DbArgument, "control", "arrival", arrival, "--from", "medium", "--left", "2021-10-21")).Code);
        await using (var s = await SignInAsync("community", 360, 740))
        {
            var page = s.Page;
            await page.GotoAsync(Url("/tasks?view=open&kind=notify"));
            var row = page.Locator("[data-testid=tasks] tbody tr", new() { HasText = arrival });
            await Assertions.Expect(row).ToHaveCountAsync(1);
            await row.Locator("a[data-testid^=open-]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=order-status]")).ToHaveTextAsync("已判定");
            await Assertions.Expect(page.Locator("[data-testid=call]")).ToHaveAttributeAsync("href", "tel:13900000002");
            await page.ClickAsync("[data-testid=do-notify]");
            await Assertions.Expect(page.Locator("[data-testid=message]")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("[data-testid=task-status]")).ToHaveTextAsync("已完成");
            await Assertions.Expect(page.Locator("[data-testid=order-status]")).ToHaveTextAsync("已告知");
            await ShotAsync(page, "task-notify-phone");
            Assert.Empty(s.Errors);
        }
    }

    [Fact]
    public async Task TheControlOfficer_FindsAHouseholdOfFiveAndPlacesIt_OnAPhone()
    {
        // Five arrivals from a high-risk area at one address: no room of the demo holds five.
        string community;
        await using (var c = await centre.Db.OpenConnectionAsync())
        {
            community = await c.QuerySingleAsync<string>("SELECT jurisdiction_code FROM accounts WHERE username = 'community'");
        }
        var tag = Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var keys = Enumerable.Range(1, 5).Select(i => $"PH{tag}{i}").ToList();
        const string Syllables = "甲乙丙丁戊己庚辛壬癸春夏秋冬东南西北";
        var surname = "欧阳" + string.Concat(Enumerable.Range(0, 4).Select(_ => Syllables[Random.Shared.Next(Syllables.Length)]));
        var file = await centre.Store.WriteAsync($"household-{tag}.csv", "person_id,name,community_code,address,phone\n"
            + string.Concat(keys.Select((k, i) => $"{k},{surname}{"一二三四五"[i]},{community},五口之家小区{tag}号,1390000{i + 1:0000}\n")));
        Assert.Equal(0, (await Support.Cli.RunAsync("--db", centre.Store.DbArgument, "import", "persons", file)).Code);
        foreach (var key in keys)
        {
            Assert.Equal(0, (await Support.Cli.RunAsync("--db", centre.Store.DbArgument, "control", "arrival", key, "--from", "high", "--left", "2021-10-21")).Code);
        }

        await using var s = await SignInAsync("control", 360, 740);
        var page = s.Page;
        // Found by name, then the person page, then the control order.
        await page.GotoAsync(Url("/people"));
        await page.FillAsync("[data-testid=person-q]", surname);
        await page.ClickAsync("[data-testid=person-search-submit]");
        await Assertions.Expect(page.Locator("[data-testid=people] li")).ToHaveCountAsync(5);
        await page.Locator($"[data-testid=person-{keys[0]}] a").First.ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=household] li")).ToHaveCountAsync(4);
        await Assertions.Expect(page.Locator("[data-testid=call]")).ToHaveAttributeAsync("href", "tel:13900000001");
        await ShotAsync(page, "person-page-phone");
        await page.ClickAsync("[data-testid=open-control]");

        // Placing the household whole is refused with the way out; split with a reason, it goes to two rooms.
        await page.SelectOptionAsync("[data-testid=place-site]", CommandCentreFixture.TestSite);
        await page.ClickAsync("[data-testid=place]");
        await Assertions.Expect(page.Locator("[data-testid=error]")).ToContainTextAsync("分房安置");
        await Assertions.Expect(page.Locator("[data-testid=place-reserve]")).ToHaveCountAsync(0);   // reserve rooms are the headquarters' to open
        await page.CheckAsync("[data-testid=place-split]");
        await page.FillAsync("[data-testid=place-reason]", "五口之家，无五人间");
        await page.ClickAsync("[data-testid=place]");
        await Assertions.Expect(page.Locator("[data-testid=message]")).ToContainTextAsync("同户 5 人分住 2 间");
        await Assertions.Expect(page.Locator("[data-testid=room]")).ToContainTextAsync(CommandCentreFixture.TestSite);
        Assert.False(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth + 1"), "the control page scrolls sideways at 360 px");
        await ShotAsync(page, "control-place-household-phone");
        // The refused placement answered 409, which the browser logs; nothing else may be logged.
        Assert.DoesNotContain(s.Errors, e => !e.Contains("409", StringComparison.Ordinal));

        await using var c2 = await centre.Db.OpenConnectionAsync();
        var rooms = (await c2.QueryAsync<long>($"""
            SELECT COUNT(*) FROM room_stays r JOIN persons p ON p.id = r.person_id WHERE p.person_key LIKE 'PH{tag}%' AND r.checked_out IS NULL GROUP BY r.room_id
            """)).Order().ToList();
        Assert.Equal([1L, 4L], rooms);
    }

    [Fact]
    public async Task AMemberOfThePublic_SeesOnlyTheirOwnRecord_AndReportsAFever()
    {
        var context = await browser.Chromium.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 360, Height = 740 }, Locale = "zh-CN" });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") { errors.Add(m.Text); } };
        await page.GotoAsync(Url("/signin"));
        await page.FillAsync("input[name=username]", "resident");
        await page.FillAsync("input[name=password]", CommandCentreFixture.Password);
        await page.ClickAsync("[data-testid=signin-submit]");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/me$"));
        await Assertions.Expect(page.Locator("[data-testid=my-order]")).ToBeVisibleAsync();
        var nav = await page.Locator("nav.main").InnerTextAsync();
        Assert.Equal("我的", nav.Trim());
        await page.FillAsync("input[name=temperature]", "38.6");
        await page.FillAsync("input[name=symptoms]", "咳嗽");
        await page.ClickAsync("[data-testid=report-submit]");
        await Assertions.Expect(page.Locator("[data-testid=message]")).ToContainTextAsync("已提交");
        await ShotAsync(page, "my-record-phone");
        Assert.Empty(errors);
        await context.DisposeAsync();

        // The fever reaches the person's monitor as an urgent task.
        await using var c = await centre.Db.OpenConnectionAsync();
        Assert.Equal(1L, await c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM tasks t JOIN accounts a ON a.person_id = t.person_id WHERE a.username = 'resident' AND t.kind = 'fever' AND t.status = 'open'"));
    }

    [Fact]
    public async Task TheDashboard_DrawsTheMapAndTheCurve_OnAWallAndOnAPhone()
    {
        await using var s = await SignInAsync("commander", 1920, 1080);
        var page = s.Page;
        await Assertions.Expect(page.Locator("#map[data-rendered=true] svg")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#curve[data-rendered=true] svg")).ToBeVisibleAsync();
        // County names come from the map data, drawn as SVG text (those that would overlap a neighbour's are left out; the tooltip and the table have them).
        Assert.True(await page.Locator("#map svg text", new PageLocatorOptions { HasTextRegex = new Regex("[区县市]$") }).CountAsync() >= 10);
        await Assertions.Expect(page.Locator("[data-testid=map-data] table")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#curve svg text", new PageLocatorOptions { HasText = "按发病日期" })).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByText("示意图")).ToBeVisibleAsync();
        // The figures refresh themselves (htmx) without a page load; htmx runs under the content security policy.
        Assert.True(await page.EvaluateAsync<bool>("typeof htmx === 'object'"));
        var refreshed = page.WaitForResponseAsync(r => r.Url.Contains("handler=figures", StringComparison.Ordinal) && r.Status == 200);
        await page.EvaluateAsync("htmx.ajax('GET', '/?handler=figures', {target: '[data-testid=figures]', swap: 'outerHTML'})");
        await refreshed;
        await Assertions.Expect(page.Locator("[data-testid=figures] .card")).ToHaveCountAsync(6);
        await ShotAsync(page, "dashboard-wall");
        Assert.Empty(s.Errors);

        await using var phone = await SignInAsync("community", 360, 740);
        // Charts are drawn when they come near the screen: on a phone, once scrolled to.
        await phone.Page.Locator("#map").ScrollIntoViewIfNeededAsync();
        await Assertions.Expect(phone.Page.Locator("#map[data-rendered=true] svg")).ToBeVisibleAsync();
        var overflow = await phone.Page.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth + 1");
        Assert.False(overflow, "the dashboard fits a 360-px phone without sideways scrolling");
        await ShotAsync(phone.Page, "dashboard-phone");
        Assert.Empty(phone.Errors);
    }

    [Fact]
    public async Task TheWallScreen_FitsWithoutScrolling_ReadsAcrossARoom_AndEveryFigureLeadsToItsList()
    {
        await using var s = await SignInAsync("commander", 1920, 1080);
        var page = s.Page;
        await page.ClickAsync("[data-testid=wall-on]");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("wall=1"));
        await Assertions.Expect(page.Locator("#map[data-rendered=true] svg")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=scorecard]")).ToBeVisibleAsync();
        Assert.False(await page.EvaluateAsync<bool>("document.documentElement.scrollHeight > window.innerHeight + 1 || document.documentElement.scrollWidth > window.innerWidth + 1"),
            "the wall screen fits 1920×1080 without scrolling");
        // Figures readable across a room: numbers at least 48 px, their labels at least 20 px.
        Assert.True(await page.EvaluateAsync<double>("parseFloat(getComputedStyle(document.querySelector('.card b')).fontSize)") >= 48);
        Assert.True(await page.EvaluateAsync<double>("parseFloat(getComputedStyle(document.querySelector('.card span')).fontSize)") >= 20);
        // Every figure shows its trend against yesterday.
        await Assertions.Expect(page.Locator("[data-testid=card-cases] .trend")).ToContainTextAsync("较昨日");
        // No two county names drawn over each other.
        var overlaps = await page.EvaluateAsync<int>("""
            (() => {
              const boxes = Array.from(document.querySelectorAll('#map svg text'))
                .filter(t => getComputedStyle(t).display !== 'none' && parseFloat(t.getAttribute('opacity') ?? getComputedStyle(t).opacity) > 0 && t.textContent.trim().length > 0)
                .map(t => {
                  // The glyphs' own box: a CJK glyph fills its em square, centred in the line box the browser reports.
                  const r = t.getBoundingClientRect(), fs = parseFloat(getComputedStyle(t).fontSize), mid = (r.top + r.bottom) / 2;
                  return { left: r.left, right: r.right, top: mid - fs / 2, bottom: mid + fs / 2, width: r.width };
                }).filter(b => b.width > 0);
              let n = 0;
              for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
                const a = boxes[i], b = boxes[j];
                if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) n++;
              }
              return n;
            })()
            """);
        Assert.Equal(0, overlaps);
        await ShotAsync(page, "dashboard-wall-screen");

        // A figure opens its list; a county of the scorecard opens its cases.
        await page.ClickAsync("[data-testid=card-close]");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/contacts\\?tier=close$"));
        await page.GoBackAsync();
        var county = page.Locator("[data-testid=scorecard] tbody tr").First.Locator("td").Nth(1).Locator("a");
        var href = await county.GetAttributeAsync("href");
        Assert.Matches("^/cases\\?within=\\d{6}", href);
        await county.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(Regex.Escape(href!) + "$"));
        await Assertions.Expect(page.Locator("[data-testid=pager]")).ToBeVisibleAsync();
        Assert.Empty(s.Errors);
    }

    [Fact]
    public async Task TheQuarantineNotice_PrintsOnOneA4Sheet_WithoutTheScreensChrome()
    {
        var key = await centre.UnderControlAsync(0);
        await using var s = await SignInAsync("control", 360, 740);
        var page = s.Page;
        await page.GotoAsync(Url($"/control/{key}"));
        await page.ClickAsync("[data-testid=print-notice]");
        await Assertions.Expect(page.Locator("[data-testid=notice] h1")).ToHaveTextAsync("隔离告知书");
        Assert.False(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth + 1"), "the notice fits a 360-px phone");
        await ShotAsync(page, "notice-quarantine-phone");
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print });
        await Assertions.Expect(page.Locator("header.top")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("[data-testid=print]")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("[data-testid=notice] footer")).ToBeVisibleAsync();
        var pdf = await page.PdfAsync(new PagePdfOptions { Format = "A4", PreferCSSPageSize = true });
        var text = System.Text.Encoding.Latin1.GetString(pdf);
        Assert.StartsWith("%PDF", text, StringComparison.Ordinal);
        Assert.Single(Regex.Matches(text, "/Type\\s*/Page[^s]"));
        Assert.Empty(s.Errors);
    }

    [Fact]
    public async Task PossibleDuplicates_AreReviewedAndMerged_OnAPhone()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var phone = "137" + Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var file = Path.Combine(centre.Store.Folder, $"dup-{tag}.csv");
        await File.WriteAllTextAsync(file, $"person_id,name,phone,community_code,address\nDUPW-A-{tag},重复{tag},{phone},{centre.HomeCounty},甲街 1 号\nDUPW-B-{tag},重复{tag},{phone},{centre.HomeCounty},甲街 1 号 2 单元\n");
        var imported = await Fangkong.Files.Imports.ImportRunner.RunAsync(centre.Db, Fangkong.Files.FileKind.Persons, file, new Fangkong.Files.Imports.ImportOptions());
        Assert.False(imported.Refused, string.Join("\n", imported.Errors));

        await using var s = await SignInAsync("investigator", 360, 740);
        var page = s.Page;
        await page.GotoAsync(Url("/people"));
        await page.ClickAsync("[data-testid=person-duplicates]");
        var group = page.Locator("[data-testid=duplicate-group]", new PageLocatorOptions { Has = page.Locator($"[data-testid=duplicate-DUPW-B-{tag}]") });
        for (var next = page.Locator("a[rel=next]"); await group.CountAsync() == 0 && await next.CountAsync() > 0;)
        {
            await next.ClickAsync();
        }
        Assert.Equal(1, await group.CountAsync());
        Assert.False(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth + 1"), "the duplicates page scrolls sideways at 360 px");
        await group.ScrollIntoViewIfNeededAsync();
        await ShotAsync(page, "duplicates-phone");
        await group.Locator($"input[type=radio][value=DUPW-B-{tag}]").CheckAsync();
        await group.Locator("[data-testid=merge]").ClickAsync();
        Assert.Contains($"DUPW-A-{tag}", await page.InnerTextAsync("[data-testid=message]"), StringComparison.Ordinal);
        Assert.Equal($"DUPW-B-{tag}", (await Fangkong.Storage.People.PersonRepository.FindAsync(centre.Db, $"DUPW-A-{tag}"))!.Person.PersonKey);
        Assert.Empty(s.Errors);
    }

    [Theory]
    [InlineData("control")]
    [InlineData("community")]
    [InlineData("testing")]
    public async Task EveryPageOfAFieldRole_FitsA360PxPhone_WithoutSidewaysScrolling(string user)
    {
        await using var s = await SignInAsync(user, 360, 740);
        var page = s.Page;
        var key = await centre.UnderControlAsync(0);
        foreach (var path in new[] { "/", "/people", "/cases", "/contacts", "/control", $"/control/{key}", "/sites", "/tasks", "/tasks?group=kind", "/missing" })
        {
            var response = await page.GotoAsync(Url(path));
            if (response!.Status is 403 or 404)
            {
                s.Errors.Clear();   // not this role's page (or a person outside its jurisdiction): the refusal itself is logged by the browser
                continue;
            }
            Assert.Equal(200, response.Status);
            var overflow = await page.EvaluateAsync<double>("document.documentElement.scrollWidth - window.innerWidth");
            Assert.True(overflow <= 1, $"{path} as {user} is {overflow} px wider than a 360-px phone");
        }
        await page.GotoAsync(Url("/contacts"));
        await ShotAsync(page, $"contacts-phone-{user}");
        Assert.Empty(s.Errors);
    }

    [Fact]
    public async Task TheTransmissionChain_ShowsCaseToCaseFirst_CountsThatExpand_AllInsideItsFrame()
    {
        // A close contact of a case of the demo county falls ill and is reported: a case traced from a case
        // (one with other close contacts, so that its count has members to expand).
        string key, contact;
        await using (var c = await centre.Db.OpenConnectionAsync())
        {
            (key, contact) = await c.QueryFirstAsync<(string, string)>("""
                SELECT pk.person_key, MAX(pc.person_key) FROM contacts t
                JOIN persons pk ON pk.id = t.index_person_id JOIN persons pc ON pc.id = t.person_id
                WHERE t.tier = 'close' AND pk.community_code LIKE @home AND t.person_id NOT IN (SELECT person_id FROM cases)
                GROUP BY pk.person_key HAVING COUNT(*) >= 2
                ORDER BY pk.person_key DESC LIMIT 1
                """, new { home = centre.HomeCounty + "%" });
        }
        var today = centre.Db.Calendar.LocalDate(centre.Db.Now);
        var (code, _, err) = await Support.Cli.RunAsync("--db", centre.Store.DbArgument, "case", "add", contact, "--classification", "confirmed",
            "--onset", today.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), "--report", centre.Db.Calendar.Format(centre.Db.Now));
        Assert.True(code == 0, err);
        var onward = 1;
        await using var s = await SignInAsync("commander", 1366, 900);
        var page = s.Page;
        await page.GotoAsync(Url($"/cases/{key}"));
        await Assertions.Expect(page.Locator("#chain[data-rendered=true] svg")).ToBeVisibleAsync();
        var texts = page.Locator("#chain svg text");
        await Assertions.Expect(texts.Filter(new LocatorFilterOptions { HasText = key })).ToHaveCountAsync(1);
        Assert.True(await texts.Filter(new LocatorFilterOptions { HasTextRegex = new Regex("报告）$") }).CountAsync() >= 1 + onward);
        var closeCount = texts.Filter(new LocatorFilterOptions { HasTextRegex = new Regex("^密接 \\d+ 人") });
        await Assertions.Expect(closeCount).ToHaveCountAsync(1);
        var before = await texts.CountAsync();
        Assert.True(before < 40, $"the chain draws cases and counts first ({before} labels), not every contact");

        // Everything drawn lies inside the chart's frame.
        const string outside = """
            (() => { const f = document.getElementById('chain').getBoundingClientRect();
              return Array.from(document.querySelectorAll('#chain svg text')).filter(t => { const b = t.getBoundingClientRect();
                return b.width > 0 && (b.left < f.left - 1 || b.right > f.right + 1 || b.top < f.top - 1 || b.bottom > f.bottom + 1); }).map(t => t.textContent).join('|'); })()
            """;
        Assert.Equal("", await page.EvaluateAsync<string>(outside));
        await ShotAsync(page, "case-chain");

        // The count expands into its first members, still inside the frame.
        await closeCount.ClickAsync(new LocatorClickOptions { Force = true });
        for (var watch = System.Diagnostics.Stopwatch.StartNew(); await texts.CountAsync() <= before; await Task.Delay(50))
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), "the close count did not expand into its members");
        }
        Assert.Equal("", await page.EvaluateAsync<string>(outside));
        await ShotAsync(page, "case-chain-expanded");

        // From the new case, its source is one click away.
        await page.GotoAsync(Url($"/cases/{contact}"));
        await Assertions.Expect(page.Locator("[data-testid=chain-data-list] a", new PageLocatorOptions { HasText = key })).ToHaveCountAsync(1);
        Assert.Empty(s.Errors);
    }

    [Fact]
    public async Task TheLanguage_SwitchesToEnglishAndBack_AndIsKeptForTheUser()
    {
        await using (var s = await SignInAsync("testing"))
        {
            var page = s.Page;
            await Assertions.Expect(page.Locator("nav.main")).ToContainTextAsync("指挥大屏");
            await page.ClickAsync("[data-testid=lang-switch]");
            await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
            await Assertions.Expect(page.Locator("nav.main")).ToContainTextAsync("Dashboard");
            await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Command dashboard");
            await ShotAsync(page, "dashboard-english");
        }
        // A new browser (no cookies) signs in and gets the language the user chose.
        await using (var s = await SignInAsync("testing"))
        {
            await Assertions.Expect(s.Page.Locator("html")).ToHaveAttributeAsync("lang", "en");
            await s.Page.ClickAsync("[data-testid=lang-switch]");
            await Assertions.Expect(s.Page.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");
        }
    }

    [Fact]
    public async Task ContactsOutsideTheJurisdiction_AreMaskedOnTheCasePage()
    {
        string caseKey;
        await using (var c = await centre.Db.OpenConnectionAsync())
        {
            caseKey = await c.QueryFirstAsync<string>("""
                SELECT ip.person_key FROM (SELECT person_id, index_person_id, ROW_NUMBER() OVER (PARTITION BY index_person_id, tier ORDER BY person_id) AS n FROM contacts) k
                JOIN persons p ON p.id = k.person_id JOIN persons ip ON ip.id = k.index_person_id
                WHERE p.community_code NOT LIKE @home AND k.n <= @shown ORDER BY ip.person_key
                """, new { home = centre.HomeCounty + "%", shown = Fangkong.Web.Pages.Cases.DetailModel.ShownPerTier });   // among the contacts the page lists
        }
        await using var s = await SignInAsync("investigator");
        await s.Page.GotoAsync(Url($"/cases/{caseKey}"));
        var masked = s.Page.Locator("[data-testid=contact-name].masked");
        Assert.True(await masked.CountAsync() > 0);
        Assert.Matches("^.\\*{2,}$", await masked.First.InnerTextAsync());
        Assert.Empty(s.Errors);
    }

    [Fact]
    public async Task EveryRole_LandsOnItsDashboard_AndSeesOnlyItsMenus()
    {
        var menus = new Dictionary<string, string[]>
        {
            ["commander"] = ["病例", "闭环管控", "隔离点", "任务", "漏管核查", "数据导入"],
            ["investigator"] = ["病例", "任务", "数据导入"],
            ["control"] = ["病例", "闭环管控", "隔离点", "任务"],
            ["testing"] = ["密接/次密接", "任务"],
            ["community"] = ["密接/次密接", "任务", "漏管核查"],
            ["checkpoint"] = ["任务"],
            ["venue"] = ["任务"],
            ["auditor"] = ["病例", "隔离点", "审计日志"],
        };
        Assert.Equal(CommandCentreFixture.Roles.Count - 1, menus.Count);
        foreach (var (user, expected) in menus)
        {
            await using var s = await SignInAsync(user);
            var nav = await s.Page.Locator("nav.main").InnerTextAsync();
            Assert.All(expected, m => Assert.Contains(m, nav, StringComparison.Ordinal));
            Assert.Equal(user == "auditor", nav.Contains("审计日志", StringComparison.Ordinal));
            Assert.Equal(user is "commander" or "investigator", nav.Contains("数据导入", StringComparison.Ordinal));
            await Assertions.Expect(s.Page.Locator("[data-testid=figures]")).ToBeVisibleAsync();
            if (user == "auditor")
            {
                await s.Page.GotoAsync(Url("/audit"));
                await Assertions.Expect(s.Page.Locator("[data-testid=chain-status]")).ToContainTextAsync("哈希链完整");
                await ShotAsync(s.Page, "audit-log");
            }
            if (user == "control")
            {
                await s.Page.GotoAsync(Url("/sites"));
                await ShotAsync(s.Page, "sites");
                await s.Page.GotoAsync(Url("/contacts"));
                await ShotAsync(s.Page, "contacts");
            }
            Assert.Empty(s.Errors);
        }
    }
}
