using System.Globalization;
using DuckDB.NET.Data;

namespace Fangkong.Cli.Bench;

/// <summary>The two calls the DuckDB baselines make: run statements, read one number.</summary>
internal static class DuckDbSql
{
    public static void Execute(DuckDBConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    public static long Scalar(DuckDBConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}
