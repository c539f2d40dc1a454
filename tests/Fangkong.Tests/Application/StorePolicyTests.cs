using Fangkong.Application.Policies;
using Fangkong.Policies;
using Fangkong.Storage;
using Fangkong.Tests.Control;
using Fangkong.Tests.Support;

namespace Fangkong.Tests.Application;

/// <summary>The deployment's policy profile is a setting of the store, overridable per jurisdiction (SPEC 3).</summary>
[Collection(nameof(Tests.Cli.ConsoleCollection))]
public sealed class StorePolicyTests
{
    [Theory]
    [MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task PolicyUse_IsWhatCommandsFollowWithoutPolicy(StoreProvider provider)
    {
        await using var store = await ControlWorkflowTests.OutbreakAsync(provider);
        Assert.Contains("cn-v8-2021", await ControlWorkflowTests.Ok(store, "policy", "current"), StringComparison.Ordinal);
        await ControlWorkflowTests.Ok(store, "policy", "use", "cn-v9-2022");
        await ControlWorkflowTests.Ok(store, "--now", "2021-10-18T12:00:00+08:00", "case", "add", "A", "--classification", "confirmed", "--onset", "2021-10-17", "--report", "2021-10-18T09:00:00+08:00");
        await ControlWorkflowTests.Ok(store, "--now", "2021-10-18T12:00:00+08:00", "trace", "--out", store.File("contacts.csv"));
        await using var db = await store.OpenAsync();
        // The trace, the contacts and the orders it made all say which profile they followed.
        var orders = await Fangkong.Storage.Control.ControlRepository.ListAsync(db, new Fangkong.Storage.Control.OrderQuery());
        Assert.NotEmpty(orders);
        Assert.All(orders, o => Assert.Equal("cn-v9-2022", o.PolicyId));
        Assert.All(await Fangkong.Storage.Contacts.ContactRepository.LoadAsync(db), k => Assert.Equal("cn-v9-2022", k.PolicyId));
        // The batch contract's --policy still decides for that run.
        var explicitRun = await ControlWorkflowTests.Ok(store, "--now", "2021-10-18T12:00:00+08:00", "trace", "--policy", "cn-v8-2021", "--out", store.File("contacts8.csv"));
        Assert.Contains("under cn-v8-2021", explicitRun, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task AJurisdictionsOwnChoice_AppliesInsideItOnly(StoreProvider provider)
    {
        await using var store = await TestStore.CreateAsync(provider);
        await ControlWorkflowTests.Ok(store, "policy", "use", "cn-v8-2021");
        await ControlWorkflowTests.Ok(store, "policy", "use", "cn-v9-2022", "--jurisdiction", "640104");
        await using var db = await store.OpenAsync();
        var policies = new StorePolicy(db, PolicyCatalog.Load());
        Assert.Equal("cn-v9-2022", (await policies.ForAsync("640104003001")).Id);
        Assert.Equal("cn-v8-2021", (await policies.ForAsync("640106001001")).Id);
        Assert.Equal("cn-v8-2021", (await policies.ForAsync(null)).Id);
        Assert.Equal("cn-v8-2021", (await policies.CurrentAsync()).Id);
        Assert.Contains("640104", await ControlWorkflowTests.Ok(store, "policy", "current"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownProfile_IsRefusedAndChangesNothing()
    {
        await using var store = await TestStore.CreateAsync(StoreProvider.Sqlite);
        var (code, _, err) = await Support.Cli.RunAsync("--db", store.DbArgument, "policy", "use", "cn-v99");
        Assert.Equal(2, code);
        Assert.Contains("Unknown policy profile 'cn-v99'", err, StringComparison.Ordinal);
        Assert.Contains("cn-v8-2021", await ControlWorkflowTests.Ok(store, "policy", "current"), StringComparison.Ordinal);
    }
}
