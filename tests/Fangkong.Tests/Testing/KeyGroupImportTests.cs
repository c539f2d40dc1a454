using Fangkong.Storage;
using Fangkong.Storage.Testing;
using Fangkong.Tests.Support;

namespace Fangkong.Tests.Testing;

/// <summary><c>import keygroups</c>: members of the key groups with their frequency (the profile's when not given), bad rows by line and column, on both stores.</summary>
public sealed class KeyGroupImportTests
{
    [Theory]
    [MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task Members_TakeTheProfilesFrequency_UnlessGiven_AndBadRowsAreNamed(StoreProvider provider)
    {
        await using var store = await TestStore.CreateAsync(provider);
        await store.WriteAsync("persons.csv", "person_id,name,community_code\nK1,甲,640104\nK2,乙,640104\nK3,丙,640104\n");
        Assert.Equal(0, (await Support.Cli.RunAsync("--db", store.DbArgument, "import", "persons", store.File("persons.csv"))).Code);
        await store.WriteAsync("groups.csv", """
            person_id,group,frequency_days
            K1,cold_chain,
            K2,delivery,
            K3,school_staff,7
            K1,airport,3
            """);
        var (code, _, error) = await Support.Cli.RunAsync("--db", store.DbArgument, "import", "keygroups", store.File("groups.csv"));
        Assert.True(code == 0, error);
        await using (var db = await store.OpenAsync())
        {
            // cn-v8-2021 (the store's default): cold-chain staff every day, delivery staff every 2 days; a frequency given wins.
            var members = (await KeyGroupRepository.LoadAllAsync(db)).Select(m => (m.Group, m.FrequencyDays)).Order().ToList();
            Assert.Equal([("airport", 3), ("cold_chain", 1), ("delivery", 2), ("school_staff", 7)], members);
        }
        await store.WriteAsync("bad.csv", """
            person_id,group,frequency_days
            K1,Cold Chain,1
            K2,unknown_group,
            K3,medical,0
            K3,medical,2
            K3,medical,2
            NOBODY,medical,2
            """);
        string said;
        (code, var output, said) = await Support.Cli.RunAsync("--db", store.DbArgument, "import", "keygroups", store.File("bad.csv"));
        Assert.NotEqual(0, code);
        said += output;
        Assert.Contains("line 2, column group: 'Cold Chain' is not a group code", said, StringComparison.Ordinal);
        Assert.Contains("line 3, column frequency_days: is empty, and the profile has no frequency for the group 'unknown_group'", said, StringComparison.Ordinal);
        Assert.Contains("line 4, column frequency_days: '0' is not a whole number of days from 1 to 60", said, StringComparison.Ordinal);
        Assert.Contains("line 6, column person_id: is already in the group medical on line 5", said, StringComparison.Ordinal);
        Assert.Contains("line 7, column person_id: 'NOBODY' is not a known person", said, StringComparison.Ordinal);
        await using (var db = await store.OpenAsync())
        {
            Assert.Equal(4, (await KeyGroupRepository.LoadAllAsync(db)).Count);   // all or nothing
        }
        // Again, with another frequency: the member's frequency changes, nobody is added twice; exported as imported.
        await store.WriteAsync("again.csv", "person_id,group,frequency_days\nK1,cold_chain,2\n");
        Assert.Equal(0, (await Support.Cli.RunAsync("--db", store.DbArgument, "import", "keygroups", store.File("again.csv"))).Code);
        Assert.Equal(0, (await Support.Cli.RunAsync("--db", store.DbArgument, "export", "keygroups", store.File("out.csv"))).Code);
        var exported = await File.ReadAllLinesAsync(store.File("out.csv"));
        Assert.Equal("person_id,group,frequency_days", exported[0]);
        Assert.Contains("K1,cold_chain,2", exported);
        Assert.Equal(5, exported.Length);
    }
}
