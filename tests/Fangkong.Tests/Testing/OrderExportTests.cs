using Fangkong.Control;
using Fangkong.Storage;
using Fangkong.Storage.Control;
using Fangkong.Storage.People;
using Fangkong.Tests.Control;
using Fangkong.Tests.Support;

namespace Fangkong.Tests.Testing;

/// <summary><c>export orders</c>: every active control order, one a person, as the store holds it, on both stores.</summary>
public sealed class OrderExportTests
{
    [Theory]
    [MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task EveryActiveOrder_IsWrittenAsStored(StoreProvider provider)
    {
        await using var store = await ControlWorkflowTests.OutbreakAsync(provider);
        await ControlWorkflowTests.Ok(store, "--now", "2021-10-18T12:00:00+08:00", "case", "add", "A", "--classification", "confirmed", "--onset", "2021-10-17", "--report", "2021-10-18T09:00:00+08:00");
        await ControlWorkflowTests.Ok(store, "--now", "2021-10-18T12:00:00+08:00", "control", "move", "B", "notified");
        var output = await ControlWorkflowTests.Ok(store, "export", "orders", store.File("orders.csv"));
        Assert.Contains("exported 4 active orders", output, StringComparison.Ordinal);

        var lines = await File.ReadAllLinesAsync(store.File("orders.csv"));
        Assert.Equal("person_id,group,measure,status,start,planned_end,policy", lines[0]);
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToDictionary(f => f[0]);
        Assert.Equal(["A", "B", "C", "H"], rows.Keys.Order(StringComparer.Ordinal));
        await using var db = await store.OpenAsync();
        foreach (var (key, f) in rows)
        {
            var order = (await ControlRepository.ActiveForAsync(db, (await PersonRepository.FindAsync(db, key))!.Id))!;
            Assert.Equal([order.Group.ToCode(), order.Measure.ToCode(), order.Status.ToCode(), order.StartDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                order.PlannedEnd?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? "", order.PolicyId], f[1..]);
        }
        // By hand: A is the case, B and H its close contacts (B notified), C a secondary contact.
        Assert.Equal(("case", "close", "secondary", "close"), (rows["A"][1], rows["B"][1], rows["C"][1], rows["H"][1]));
        Assert.Equal("notified", rows["B"][3]);
        Assert.All(rows.Values, f => Assert.Equal("cn-v8-2021", f[6]));
    }
}
