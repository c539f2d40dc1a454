using Dapper;
using Fangkong.Jurisdictions;
using Fangkong.Tasks;
using Microsoft.Data.Sqlite;

namespace Fangkong.Tests.Control;

/// <summary>The escalation owner said once: the SQL form the clock runs gives the same division as the C# form, at every level.</summary>
public sealed class TaskEscalationSqlTests
{
    [Theory]
    [InlineData("640104003001")]
    [InlineData("640104003")]
    [InlineData("640104")]
    [InlineData("640521")]
    [InlineData("640100")]
    public async Task OwnerSql_AgreesWithOwnerAt(string home)
    {
        await using var c = new SqliteConnection("Data Source=:memory:");
        await c.OpenAsync();
        for (var level = 0; level <= TaskEscalation.Top; level++)
        {
            var sql = await c.ExecuteScalarAsync<string>($"SELECT {TaskEscalation.OwnerSql("h", level)} FROM (SELECT @home AS h)", new { home });
            Assert.Equal(TaskEscalation.OwnerAt(JurisdictionCode.Parse(home), level).Value, sql);
        }
    }
}

/// <summary>The dashboard's overdue groups when nothing is overdue: an empty table, not an error.</summary>
public sealed class TaskGroupsTests
{
    [Theory]
    [MemberData(nameof(Support.TestStore.Providers), MemberType = typeof(Support.TestStore))]
    public async Task NoOverdueTask_IsNoGroup(Fangkong.Storage.StoreProvider provider)
    {
        await using var store = await Support.TestStore.CreateAsync(provider);
        await using var db = await store.OpenAsync();
        Assert.Empty(await Fangkong.Storage.Tasks.TaskRepository.GroupsAsync(db, new Fangkong.Storage.Tasks.TaskQuery(OverdueOnly: true), 10));
    }
}
