using Microsoft.Data.Sqlite;
using SQLitePCL;
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

/// <summary>A column of a bulk table: its name and type next to the value it takes from a row, so that the two cannot drift apart.</summary>
internal sealed record BulkColumn<TRow>(string Name, ColumnKind Kind, Func<TRow, object?> Value);

/// <summary>
/// The shape of a bulk upsert of <typeparamref name="TRow"/>: a table, its columns with how each is read
/// from a row, and the key whose conflict updates (or skips) a row. Built once, in a static field:
/// <c>BulkTable&lt;Venue&gt;.Of("venues", "id").Int("id", v =&gt; v.Id).Text("name", v =&gt; v.Name)</c>.
/// </summary>
internal sealed class BulkTable<TRow>
{
    private readonly List<BulkColumn<TRow>> _columns = [];

    private BulkTable(string name, string conflictKey, bool updateOnConflict) => (Name, ConflictKey, UpdateOnConflict) = (name, conflictKey, updateOnConflict);

    public string Name { get; }

    /// <summary>The conflict target; empty for plain inserts.</summary>
    public string ConflictKey { get; }

    public bool UpdateOnConflict { get; }

    public IReadOnlyList<BulkColumn<TRow>> Columns => _columns;

    public static BulkTable<TRow> Of(string name, string conflictKey, bool updateOnConflict) => new(name, conflictKey, updateOnConflict);

    public BulkTable<TRow> Text(string name, Func<TRow, string?> value) => Add(name, ColumnKind.Text, r => value(r));

    public BulkTable<TRow> Int(string name, Func<TRow, int?> value) => Add(name, ColumnKind.Int, r => value(r));

    public BulkTable<TRow> Long(string name, Func<TRow, long?> value) => Add(name, ColumnKind.Long, r => value(r));

    public BulkTable<TRow> Real(string name, Func<TRow, double?> value) => Add(name, ColumnKind.Real, r => value(r));

    /// <summary>The same columns without a conflict target (rows the caller knows are new).</summary>
    public BulkTable<TRow> AsInsert()
    {
        var insert = new BulkTable<TRow>(Name, "", false);
        insert._columns.AddRange(_columns);
        return insert;
    }

    private BulkTable<TRow> Add(string name, ColumnKind kind, Func<TRow, object?> value)
    {
        _columns.Add(new BulkColumn<TRow>(name, kind, value));
        return this;
    }
}

/// <summary>
/// Writes many rows at once inside a session: prepared statements on SQLite, binary COPY into a
/// staging table then one INSERT … ON CONFLICT on PostgreSQL. Returns the rows inserted or changed.
/// </summary>
internal static class BulkWriter
{
    public static Task<long> UpsertAsync<TRow>(StoreSession s, BulkTable<TRow> table, IEnumerable<TRow> rows, CancellationToken ct) =>
        s.Db.Provider == StoreProvider.Sqlite ? SqliteLargeAsync(s, table, rows, ct) : PostgresAsync(s, table, rows, ct);

    // A write of a known, large number of rows rebuilds the table's indexes once, after it.
    private static Task<long> SqliteLargeAsync<TRow>(StoreSession s, BulkTable<TRow> table, IEnumerable<TRow> rows, CancellationToken ct) =>
        rows.TryGetNonEnumeratedCount(out var count) && count >= RebuildAtRows
            ? RebuildingIndexesAsync(s, table.Name, count, () => SqliteAsync(s, table, rows, ct), ct)
            : SqliteAsync(s, table, rows, ct);

    private const int RebuildAtRows = 20_000;

    /// <summary>
    /// Runs a large write into <paramref name="table"/> on SQLite with the table's own secondary indexes dropped
    /// and built again afterwards, in the same transaction, when the rows to write are many and at least as many
    /// as the table holds: building an index from the whole table is a sort, much cheaper than a random B-tree
    /// insert a row per index. Unique constraints and unique indexes stay: they are rules checked on every row
    /// (one active order a person) and the targets of the upserts' conflicts.
    /// </summary>
    private static async Task<T> RebuildingIndexesAsync<T>(StoreSession s, string table, long rows, Func<Task<T>> write, CancellationToken ct)
    {
        var c = (SqliteConnection)s.Connection;
        var tx = (SqliteTransaction)s.Transaction;
        long held;
        var indexes = new List<(string Name, string Sql)>();
        await using (var cmd = c.CreateCommand())
        {
            cmd.Transaction = tx;
            cmd.CommandText = $"SELECT COUNT(*) FROM {table}";
            held = (long)(cmd.ExecuteScalar() ?? 0L);
            cmd.CommandText = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = $t AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'";
            cmd.Parameters.AddWithValue("$t", table);
            await using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                indexes.Add((reader.GetString(0), reader.GetString(1)));
            }
        }
        if (rows < held || indexes.Count == 0)
        {
            return await write();
        }
        await using (var drop = c.CreateCommand())
        {
            drop.Transaction = tx;
            drop.CommandText = string.Concat(indexes.Select(i => $"DROP INDEX {i.Name};"));
            drop.ExecuteNonQuery();
        }
        var result = await write();
        ct.ThrowIfCancellationRequested();
        await using (var create = c.CreateCommand())
        {
            create.Transaction = tx;
            create.CommandText = string.Concat(indexes.Select(i => i.Sql + ";"));
            create.ExecuteNonQuery();
        }
        return result;
    }

    /// <summary>
    /// Appends rows the caller knows are new (their keys cannot exist yet): plain inserts on SQLite,
    /// binary COPY straight into the table on PostgreSQL. A key that does exist fails the transaction.
    /// </summary>
    public static async Task<long> AppendAsync<TRow>(StoreSession s, BulkTable<TRow> table, IReadOnlyCollection<TRow> rows, CancellationToken ct)
    {
        if (s.Db.Provider == StoreProvider.Sqlite)
        {
            return await SqliteLargeAsync(s, table.AsInsert(), rows, ct);
        }
        var connection = (NpgsqlConnection)s.Connection;
        var names = string.Join(", ", table.Columns.Select(c => c.Name));
        await using var writer = await connection.BeginBinaryImportAsync($"COPY {table.Name} ({names}) FROM STDIN (FORMAT BINARY)", ct);
        await WriteRowsAsync(writer, table, rows, ct);
        return (long)await writer.CompleteAsync(ct);
    }

    private static string ConflictClause<TRow>(BulkTable<TRow> t)
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

    /// <summary>
    /// One prepared INSERT stepped once a row, its values bound straight through SQLite's C interface (the
    /// connection's own handle, inside its open transaction): the ADO.NET parameter collection costs more per
    /// row than SQLite's insert itself.
    /// </summary>
    private static Task<long> SqliteAsync<TRow>(StoreSession s, BulkTable<TRow> t, IEnumerable<TRow> rows, CancellationToken ct)
    {
        var handle = ((SqliteConnection)s.Connection).Handle!;
        var names = string.Join(", ", t.Columns.Select(c => c.Name));
        var values = string.Join(", ", t.Columns.Select((_, i) => "?" + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var sql = $"INSERT INTO {t.Name} ({names}) VALUES ({values}) {ConflictClause(t)}";
        Check(raw.sqlite3_prepare_v2(handle, sql, out var statement), handle);
        using (statement)
        {
            var columns = t.Columns;
            long changed = 0;
            var n = 0;
            foreach (var row in rows)
            {
                for (var i = 0; i < columns.Count; i++)
                {
                    var value = columns[i].Value(row);
                    var rc = value is null ? raw.sqlite3_bind_null(statement, i + 1) : columns[i].Kind switch
                    {
                        ColumnKind.Text => raw.sqlite3_bind_text(statement, i + 1, value as string ?? Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)),
                        ColumnKind.Real => raw.sqlite3_bind_double(statement, i + 1, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture)),
                        _ => raw.sqlite3_bind_int64(statement, i + 1, Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)),
                    };
                    Check(rc, handle);
                }
                var step = raw.sqlite3_step(statement);
                if (step != raw.SQLITE_DONE)
                {
                    Check(step, handle);
                }
                changed += raw.sqlite3_changes(handle);
                Check(raw.sqlite3_reset(statement), handle);
                if ((++n & 0xFFF) == 0)
                {
                    ct.ThrowIfCancellationRequested();
                }
            }
            return Task.FromResult(changed);
        }
    }

    private static void Check(int rc, sqlite3 handle)
    {
        if (rc != raw.SQLITE_OK && rc != raw.SQLITE_ROW && rc != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(rc, handle);
        }
    }

    private static async Task<long> PostgresAsync<TRow>(StoreSession s, BulkTable<TRow> t, IEnumerable<TRow> rows, CancellationToken ct)
    {
        var connection = (NpgsqlConnection)s.Connection;
        var names = string.Join(", ", t.Columns.Select(c => c.Name));
        var staging = "staging_" + t.Name;
        await using (var create = new NpgsqlCommand($"CREATE TEMP TABLE IF NOT EXISTS {staging} AS SELECT {names} FROM {t.Name} WITH NO DATA; TRUNCATE {staging};", connection, (NpgsqlTransaction)s.Transaction))
        {
            await create.ExecuteNonQueryAsync(ct);
        }
        await using (var writer = await connection.BeginBinaryImportAsync($"COPY {staging} ({names}) FROM STDIN (FORMAT BINARY)", ct))
        {
            await WriteRowsAsync(writer, t, rows, ct);
            await writer.CompleteAsync(ct);
        }
        await using var merge = new NpgsqlCommand($"INSERT INTO {t.Name} ({names}) SELECT {names} FROM {staging} {ConflictClause(t)}", connection, (NpgsqlTransaction)s.Transaction);
        return await merge.ExecuteNonQueryAsync(ct);
    }

    private static NpgsqlDbType TypeOf(ColumnKind kind) => kind switch
    {
        ColumnKind.Text => NpgsqlDbType.Text,
        ColumnKind.Int => NpgsqlDbType.Integer,
        ColumnKind.Real => NpgsqlDbType.Double,
        _ => NpgsqlDbType.Bigint,
    };

    private static async Task WriteRowsAsync<TRow>(NpgsqlBinaryImporter writer, BulkTable<TRow> t, IEnumerable<TRow> rows, CancellationToken ct)
    {
        var columns = t.Columns.Select(c => (c.Value, Type: TypeOf(c.Kind))).ToArray();
        foreach (var row in rows)
        {
            await writer.StartRowAsync(ct);
            foreach (var (value, type) in columns)
            {
                if (value(row) is { } v)
                {
                    await writer.WriteAsync(v, type, ct);
                }
                else
                {
                    await writer.WriteNullAsync(ct);
                }
            }
        }
    }
}
