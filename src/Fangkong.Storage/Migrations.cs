using DbUp;
using DbUp.Engine;

namespace Fangkong.Storage;

/// <summary>
/// Schema migrations: numbered SQL scripts per provider under <c>Migrations/Sqlite</c> and
/// <c>Migrations/Postgres</c>, applied once each and journaled by DbUp in <c>schema_versions</c>.
/// </summary>
internal static class Migrations
{
    public static void Run(Database db)
    {
        var folder = db.Provider == StoreProvider.Sqlite ? ".Migrations.Sqlite." : ".Migrations.Postgres.";
        var builder = db.Provider == StoreProvider.Sqlite
            ? DeployChanges.To.SqliteDatabase(db.Location.ConnectionString)
            : DeployChanges.To.PostgresqlDatabase(db.Location.ConnectionString);
        var upgrader = builder
            .WithScriptsEmbeddedInAssembly(typeof(Migrations).Assembly, name => name.Contains(folder, StringComparison.Ordinal))
            .WithTransactionPerScript()
            .LogToNowhere()
            .Build();
        if (!upgrader.IsUpgradeRequired())
        {
            return;
        }
        DatabaseUpgradeResult result = upgrader.PerformUpgrade();
        if (!result.Successful)
        {
            throw new InvalidOperationException($"Schema migration {result.ErrorScript?.Name} failed: {result.Error?.Message}", result.Error);
        }
    }
}
