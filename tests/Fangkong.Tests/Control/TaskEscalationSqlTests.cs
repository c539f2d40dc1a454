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
