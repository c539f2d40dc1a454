using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace Fangkong.Storage;

internal enum ColumnKind
{
    Text,
    Int,
    Long,
    Real,
}

/// <summary>The shape of a bulk upsert: a table, its columns, and the key whose conflict updates (or skips) a row.</summary>
internal sealed record BulkTable(string Name, IReadOnlyList<(string Name, ColumnKind Kind)> Columns, string ConflictKey, bool UpdateOnConflict);

/// <summary>
/// Writes many rows at once inside a session: prepared statements on SQLite, binary COPY into a
/// staging table then one INSERT … ON CONFLICT on PostgreSQL. Returns the rows inserted or changed.
/// </summary>
internal static class BulkWriter
{
    public static Task<long> UpsertAsync(StoreSession s, BulkTable table, IEnumerable<object?[]> rows, CancellationToken ct) =>
        s.Db.Provider == StoreProvider.Sqlite ? SqliteAsync(s, table, rows, ct) : PostgresAsync(s, table, rows, ct);

    /// <summary>
    /// Appends rows the caller knows are new (their keys cannot exist yet): plain inserts on SQLite,
    /// binary COPY straight into the table on PostgreSQL. A key that does exist fails the transaction.
    /// </summary>
    public static async Task<long> AppendAsync(StoreSession s, BulkTable table, IReadOnlyCollection<object?[]> rows, CancellationToken ct)
    {
        if (s.Db.Provider == StoreProvider.Sqlite)
        {
            return await SqliteAsync(s, table with { ConflictKey = "" }, rows, ct);
        }
        var connection = (NpgsqlConnection)s.Connection;
        var names = string.Join(", ", table.Columns.Select(c => c.Name));
        var types = Types(table);
        await using var writer = await connection.BeginBinaryImportAsync($"COPY {table.Name} ({names}) FROM STDIN (FORMAT BINARY)", ct);
        await WriteRowsAsync(writer, types, rows, ct);
        return (long)await writer.CompleteAsync(ct);
    }

    private static string ConflictClause(BulkTable t)
    {
        if (t.ConflictKey.Length == 0)
        {
            return "";
        }
        if (!t.UpdateOnConflict)
        {
            return $"ON CONFLICT ({t.ConflictKey}) DO NOTHING";
        }
        var keys = t.ConflictKey.Split(',').Select(k => k.Trim()).ToHashSet(StringComparer.Ordinal);
        var sets = t.Columns.Where(c => !keys.Contains(c.Name)).Select(c => $"{c.Name} = excluded.{c.Name}");
        return $"ON CONFLICT ({t.ConflictKey}) DO UPDATE SET {string.Join(", ", sets)}";
    }

    private static async Task<long> SqliteAsync(StoreSession s, BulkTable t, IEnumerable<object?[]> rows, CancellationToken ct)
    {
        await using var cmd = (SqliteCommand)s.Connection.CreateCommand();
        cmd.Transaction = (SqliteTransaction)s.Transaction;
        var names = string.Join(", ", t.Columns.Select(c => c.Name));
        var values = string.Join(", ", t.Columns.Select((_, i) => "$p" + i));
        cmd.CommandText = $"INSERT INTO {t.Name} ({names}) VALUES ({values}) {ConflictClause(t)}";
        var parameters = t.Columns.Select((c, i) => cmd.Parameters.Add("$p" + i, c.Kind switch { ColumnKind.Text => SqliteType.Text, ColumnKind.Real => SqliteType.Real, _ => SqliteType.Integer })).ToArray();
        await cmd.PrepareAsync(ct);
        long changed = 0;
        foreach (var row in rows)
        {
            for (var i = 0; i < parameters.Length; i++)
            {
                parameters[i].Value = row[i] ?? DBNull.Value;
            }
            changed += await cmd.ExecuteNonQueryAsync(ct);
        }
        return changed;
    }

    private static async Task<long> PostgresAsync(StoreSession s, BulkTable t, IEnumerable<object?[]> rows, CancellationToken ct)
    {
        var connection = (NpgsqlConnection)s.Connection;
        var names = string.Join(", ", t.Columns.Select(c => c.Name));
        var staging = "staging_" + t.Name;
        await using (var create = new NpgsqlCommand($"CREATE TEMP TABLE IF NOT EXISTS {staging} AS SELECT {names} FROM {t.Name} WITH NO DATA; TRUNCATE {staging};", connection, (NpgsqlTransaction)s.Transaction))
        {
            await create.ExecuteNonQueryAsync(ct);
        }
        var types = Types(t);
        await using (var writer = await connection.BeginBinaryImportAsync($"COPY {staging} ({names}) FROM STDIN (FORMAT BINARY)", ct))
        {
            await WriteRowsAsync(writer, types, rows, ct);
            await writer.CompleteAsync(ct);
        }
        await using var merge = new NpgsqlCommand($"INSERT INTO {t.Name} ({names}) SELECT {names} FROM {staging} {ConflictClause(t)}", connection, (NpgsqlTransaction)s.Transaction);
        return await merge.ExecuteNonQueryAsync(ct);
    }

    private static NpgsqlDbType[] Types(BulkTable t) => t.Columns.Select(c => c.Kind switch
    {
        ColumnKind.Text => NpgsqlDbType.Text,
        ColumnKind.Int => NpgsqlDbType.Integer,
        ColumnKind.Real => NpgsqlDbType.Double,
        _ => NpgsqlDbType.Bigint,
    }).ToArray();

    private static async Task WriteRowsAsync(NpgsqlBinaryImporter writer, NpgsqlDbType[] types, IEnumerable<object?[]> rows, CancellationToken ct)
    {
        foreach (var row in rows)
        {
            await writer.StartRowAsync(ct);
            for (var i = 0; i < types.Length; i++)
            {
                if (row[i] is null)
                {
                    await writer.WriteNullAsync(ct);
                }
                else
                {
                    await writer.WriteAsync(row[i], types[i], ct);
                }
            }
        }
    }
}
