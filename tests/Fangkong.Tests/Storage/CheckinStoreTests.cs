using Fangkong.Storage;
using Fangkong.Storage.Checkins;
using Fangkong.Tests.Support;
using Fangkong.Time;

namespace Fangkong.Tests.Storage;

public sealed class CheckinStoreTests
{
    private static readonly DeploymentCalendar Calendar = DeploymentCalendar.Default;
    private static readonly long Oct17 = Calendar.StartOfDay(new DateOnly(2021, 10, 17));
    private static int Day(int month, int day) => DeploymentCalendar.DayNumber(new DateOnly(2021, month, day));

    private static List<CheckinRow> RandomRows(int count, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var start = Oct17 + rng.Next(-3 * 86400, 3 * 86400);
            return new CheckinRow(rng.Next(1, 50), rng.Next(1, 8), start, start + rng.Next(0, 4 * 3600));
        }).ToList();
    }

    private static async Task<List<CheckinRow>> ReadAllAsync(ICheckinStore store)
    {
        var all = new List<CheckinRow>();
        foreach (var info in await store.ListDaysAsync())
        {
            var day = await store.ReadDayAsync(info.Day);
            for (var i = 0; i < day.Count; i++)
            {
                Assert.Equal(info.Day, DeploymentCalendar.DayNumber(Calendar.LocalDate(day.CheckIn(i))));
                all.Add(new CheckinRow(day.Person[i], day.Venue[i], day.CheckIn(i), day.CheckOut(i)));
            }
            var keys = Enumerable.Range(0, day.Count).Select(i => (day.Venue[i], day.Start[i], day.Person[i], day.Duration[i])).ToList();
            Assert.Equal(keys.Order(), keys);
        }
        return all;
    }

    [Theory]
    [MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task Append_StoresEachDistinctRowOnce_ByLocalDay(StoreProvider provider)
    {
        await using var test = await TestStore.CreateAsync(provider);
        await using var db = await test.OpenAsync();
        var store = await CheckinStores.OpenAsync(db);
        var first = RandomRows(3000, 1);
        var second = RandomRows(3000, 2).Concat(first.Take(1000)).ToList();
        Assert.Equal(first.Distinct().Count(), await store.AppendAsync(first));
        Assert.Equal(second.Except(first).Distinct().Count(), await store.AppendAsync(second));
        Assert.Equal(0, await store.AppendAsync(second));
        var expected = first.Concat(second).Distinct().OrderBy(r => (r.Person, r.Venue, r.CheckIn, r.CheckOut)).ToList();
        Assert.Equal(expected, (await ReadAllAsync(store)).OrderBy(r => (r.Person, r.Venue, r.CheckIn, r.CheckOut)).ToList());
        Assert.Equal(expected.Count, (await store.ListDaysAsync()).Sum(d => d.Rows));
    }

    [Theory]
    [MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task StayAcrossMidnight_BelongsToTheDayItStarted(StoreProvider provider)
    {
        await using var test = await TestStore.CreateAsync(provider);
        await using var db = await test.OpenAsync();
        var store = await CheckinStores.OpenAsync(db);
        var lateNight = new CheckinRow(1, 1, Oct17 - 600, Oct17 + 1800);   // 23:50 on the 16th to 00:30
        await store.AppendAsync([lateNight, new CheckinRow(2, 1, Oct17, Oct17 + 60)]);
        var days = await store.ListDaysAsync();
        Assert.Equal([Day(10, 16), Day(10, 17)], days.Select(d => d.Day));
        var sixteenth = await store.ReadDayAsync(Day(10, 16));
        Assert.Equal(lateNight.CheckOut, sixteenth.CheckOut(0));
        Assert.Equal(2400, days[0].MaxDuration);
    }

    [Theory]
    [MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task Retention_DropsWholeDays(StoreProvider provider)
    {
        await using var test = await TestStore.CreateAsync(provider);
        await using var db = await test.OpenAsync();
        var store = await CheckinStores.OpenAsync(db);
        var rows = RandomRows(2000, 3);
        await store.AppendAsync(rows);
        var keep = Day(10, 16);
        var dropped = await store.DropDaysBeforeAsync(keep);
        Assert.Equal(rows.Distinct().Count(r => DeploymentCalendar.DayNumber(Calendar.LocalDate(r.CheckIn)) < keep), dropped);
        Assert.All(await store.ListDaysAsync(), d => Assert.True(d.Day >= keep));
        Assert.Equal(0, (await store.ReadDayAsync(Day(10, 15))).Count);
    }

    [Theory]
    [MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task CancelledAppend_LeavesTheStoreAsItWas(StoreProvider provider)
    {
        await using var test = await TestStore.CreateAsync(provider);
        await using var db = await test.OpenAsync();
        var store = await CheckinStores.OpenAsync(db);
        var before = RandomRows(500, 4);
        await store.AppendAsync(before);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.AppendAsync(RandomRows(500, 5), cancelled.Token));
        Assert.Equal(before.Distinct().OrderBy(r => (r.Person, r.Venue, r.CheckIn, r.CheckOut)), (await ReadAllAsync(store)).OrderBy(r => (r.Person, r.Venue, r.CheckIn, r.CheckOut)));
    }

    [Fact]
    public async Task SegmentsLeftByACrashBeforeCommit_AreIgnored_AndRemovedOnceSettled()
    {
        await using var test = await TestStore.CreateAsync(StoreProvider.Sqlite);
        await using var db = await test.OpenAsync();
        var store = await CheckinStores.OpenAsync(db);
        var rows = RandomRows(500, 6);
        await store.AppendAsync(rows);
        var folder = db.Location.CheckinFolder!;
        var live = Directory.GetFiles(folder, "*.seg*").Order(StringComparer.Ordinal).ToList();
        // A crash after writing the next generation but before the manifest switched to it.
        var leftovers = live.Select(f => f.Replace(".g1.seg", ".g2.seg", StringComparison.Ordinal)).Append(Path.Combine(folder, "20211017.g3.seg.tmp")).ToList();
        foreach (var file in live)
        {
            File.Copy(file, file.Replace(".g1.seg", ".g2.seg", StringComparison.Ordinal));
        }
        await File.WriteAllBytesAsync(Path.Combine(folder, "20211017.g3.seg.tmp"), [1, 2, 3]);

        // Just written, they could be an append in progress in another process: read past, not removed.
        var reopened = await CheckinStores.OpenAsync(db);
        Assert.Equal(live.Concat(leftovers).Order(StringComparer.Ordinal), Directory.GetFiles(folder, "*.seg*").Order(StringComparer.Ordinal));
        Assert.Equal(rows.Distinct().OrderBy(r => (r.Person, r.Venue, r.CheckIn, r.CheckOut)), (await ReadAllAsync(reopened)).OrderBy(r => (r.Person, r.Venue, r.CheckIn, r.CheckOut)));

        // An hour later nothing can be writing them: removed at the next open.
        foreach (var file in leftovers)
        {
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddHours(-2));
        }
        reopened = await CheckinStores.OpenAsync(db);
        Assert.Equal(live, Directory.GetFiles(folder, "*.seg*").Order(StringComparer.Ordinal));
        Assert.Equal(rows.Distinct().OrderBy(r => (r.Person, r.Venue, r.CheckIn, r.CheckOut)), (await ReadAllAsync(reopened)).OrderBy(r => (r.Person, r.Venue, r.CheckIn, r.CheckOut)));
    }

    [Fact]
    public async Task OpeningTheStoreDuringAnAppend_LeavesTheAppendsFilesAlone_AndNothingIsLost()
    {
        await using var test = await TestStore.CreateAsync(StoreProvider.Sqlite);
        await using var db = await test.OpenAsync();
        var store = await CheckinStores.OpenAsync(db);
        var first = RandomRows(2000, 7);
        await store.AppendAsync(first);
        // Other requests open the store (and tidy it) again and again while a large append runs.
        var second = RandomRows(200_000, 8);
        using var stop = new CancellationTokenSource();
        var openers = Task.Run(async () =>
        {
            var opened = 0;
            while (!stop.IsCancellationRequested)
            {
                await CheckinStores.OpenAsync(db);
                opened++;
            }
            return opened;
        });
        var added = await store.AppendAsync(second);
        await stop.CancelAsync();
        Assert.True(await openers > 0);
        var expected = first.Concat(second).Distinct().OrderBy(r => (r.Person, r.Venue, r.CheckIn, r.CheckOut)).ToList();
        Assert.Equal(second.Except(first).Distinct().Count(), added);
        Assert.Equal(expected, (await ReadAllAsync(await CheckinStores.OpenAsync(db))).OrderBy(r => (r.Person, r.Venue, r.CheckIn, r.CheckOut)).ToList());
    }

    [Theory]
    [MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task AppendsAtTheSameTime_KeepEveryRowOfBoth(StoreProvider provider)
    {
        await using var test = await TestStore.CreateAsync(provider);
        await using var db = await test.OpenAsync();
        var first = RandomRows(100_000, 9);
        var second = RandomRows(100_000, 10);
        // Two uploads at once, each through its own opening of the store (two requests, or two processes).
        var a = Task.Run(async () => await (await CheckinStores.OpenAsync(db)).AppendAsync(first));
        var b = Task.Run(async () => await (await CheckinStores.OpenAsync(db)).AppendAsync(second));
        await Task.WhenAll(a, b);
        var expected = first.Concat(second).Distinct().OrderBy(r => (r.Person, r.Venue, r.CheckIn, r.CheckOut)).ToList();
        Assert.Equal(expected.Count, await a + await b);
        Assert.Equal(expected, (await ReadAllAsync(await CheckinStores.OpenAsync(db))).OrderBy(r => (r.Person, r.Venue, r.CheckIn, r.CheckOut)).ToList());
    }

    [Fact]
    public async Task ReadingDaysDuringAppends_AlwaysGivesAWholeGeneration()
    {
        await using var test = await TestStore.CreateAsync(StoreProvider.Sqlite);
        await using var db = await test.OpenAsync();
        var store = await CheckinStores.OpenAsync(db);
        await store.AppendAsync(RandomRows(5000, 11));
        var days = (await store.ListDaysAsync()).Select(d => d.Day).ToList();
        using var stop = new CancellationTokenSource();
        // A reader keeps reading every day while appends replace them; each read is a day as some append left it.
        var reader = Task.Run(async () =>
        {
            var reads = 0;
            while (!stop.IsCancellationRequested)
            {
                foreach (var day in days)
                {
                    var read = await store.ReadDayAsync(day);
                    Assert.True(read.Count > 0);
                    reads++;
                }
            }
            return reads;
        });
        for (var seed = 12; seed < 312; seed++)
        {
            await store.AppendAsync(RandomRows(20, seed));
        }
        await stop.CancelAsync();
        Assert.True(await reader > 0);
    }
}
