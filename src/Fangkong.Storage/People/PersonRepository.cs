using Dapper;
using Fangkong.People;

namespace Fangkong.Storage.People;

/// <summary>Reads and writes people, their further keys and their change history.</summary>
public static class PersonRepository
{
    private static readonly BulkTable<(StoredPerson P, long Now)> PersonTable = BulkTable<(StoredPerson P, long Now)>.Of("persons", "id", updateOnConflict: true)
        .Int("id", r => r.P.Id).Text("person_key", r => r.P.Person.PersonKey).Text("id_type", r => r.P.Person.IdType?.ToCode()).Text("id_number", r => r.P.Person.IdNumber)
        .Text("name", r => r.P.Person.Name).Text("sex", r => r.P.Person.Sex?.ToCode())
        .Text("birth_date", r => r.P.Person.BirthDate?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)).Text("phone", r => r.P.Person.Phone)
        .Text("community_code", r => r.P.Person.CommunityCode).Text("address", r => r.P.Person.Address).Int("merged_into", r => r.P.MergedInto).Long("updated_at", r => r.Now);

    private static readonly BulkTable<(string Key, int PersonId)> KeyTable = BulkTable<(string Key, int PersonId)>.Of("person_keys", "person_key", updateOnConflict: true)
        .Text("person_key", k => k.Key).Int("person_id", k => k.PersonId);

    private static readonly BulkTable<PersonHistoryEntry> HistoryTable = BulkTable<PersonHistoryEntry>.Of("person_history", "id", updateOnConflict: false)
        .Int("person_id", e => e.PersonId).Long("at", e => e.At).Text("action", e => e.Action).Text("detail", e => e.Detail);

    internal const string SelectColumns =
        "id AS Id, person_key AS PersonKey, id_type AS IdType, id_number AS IdNumber, name AS Name, sex AS Sex, birth_date AS BirthDate, " +
        "phone AS Phone, community_code AS CommunityCode, address AS Address, merged_into AS MergedInto";

    internal sealed class Row
    {
        public long Id { get; set; }
        public string PersonKey { get; set; } = "";
        public string? IdType { get; set; }
        public string? IdNumber { get; set; }
        public string? Name { get; set; }
        public string? Sex { get; set; }
        public string? BirthDate { get; set; }
        public string? Phone { get; set; }
        public string? CommunityCode { get; set; }
        public string? Address { get; set; }
        public long? MergedInto { get; set; }

        public StoredPerson ToStored() => new((int)Id, new Person(
            PersonKey,
            IdType is null ? null : IdTypes.TryParse(IdType, out var t) ? t : Fangkong.People.IdType.Other,
            IdNumber, Name,
            Sex is null ? null : Sexes.TryParse(Sex, out var s) ? s : null,
            BirthDate is null ? null : DateOnly.Parse(BirthDate, System.Globalization.CultureInfo.InvariantCulture),
            Phone, CommunityCode, Address), (int?)MergedInto);
    }

    public static async Task<List<StoredPerson>> LoadAllAsync(Database db, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<Row>(new CommandDefinition($"SELECT {SelectColumns} FROM persons ORDER BY id", cancellationToken: ct));
        return rows.Select(r => r.ToStored()).ToList();
    }

    /// <summary>Each person's internal id, key and the record it was merged into: all a trace needs of a person.</summary>
    public static async Task<List<(int Id, string Key, int? MergedInto)>> LoadKeysForTracingAsync(Database db, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await using var command = c.CreateCommand();
        command.CommandText = "SELECT id, person_key, merged_into FROM persons";
        var result = new List<(int, string, int?)>();
        var sqlite = db.Provider == StoreProvider.Sqlite;   // SQLite reads in process: a row by row await only adds cost
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (sqlite ? reader.Read() : await reader.ReadAsync(ct))
        {
            result.Add(((int)reader.GetInt64(0), reader.GetString(1), reader.IsDBNull(2) ? null : (int)reader.GetInt64(2)));
        }
        return result;
    }

    /// <summary>The people with these internal ids (in batches, for lists of any length).</summary>
    public static async Task<List<StoredPerson>> LoadByIdsAsync(Database db, IEnumerable<int> ids, CancellationToken ct = default)
    {
        var result = new List<StoredPerson>();
        await using var c = await db.OpenConnectionAsync(ct);
        foreach (var chunk in ids.Distinct().Chunk(500))
        {
            var rows = await c.QueryAsync<Row>(new CommandDefinition($"SELECT {SelectColumns} FROM persons WHERE id IN ({string.Join(",", chunk)})", cancellationToken: ct));
            result.AddRange(rows.Select(r => r.ToStored()));
        }
        return result;
    }

    /// <summary>Further keys (not the primary <c>person_key</c>) that name a person.</summary>
    public static async Task<List<(string Key, int PersonId)>> LoadKeysAsync(Database db, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<(string, long)>(new CommandDefinition("SELECT person_key, person_id FROM person_keys", cancellationToken: ct));
        return rows.Select(r => (r.Item1, (int)r.Item2)).ToList();
    }

    /// <summary>Finds a person by any of their keys, following merges to the surviving record.</summary>
    public static async Task<StoredPerson?> FindAsync(Database db, string key, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {SelectColumns} FROM persons WHERE person_key = @key OR id = (SELECT person_id FROM person_keys WHERE person_key = @key)",
            new { key }, cancellationToken: ct));
        for (var hops = 0; row?.MergedInto is { } target && hops < 100; hops++)
        {
            row = await c.QuerySingleOrDefaultAsync<Row>(new CommandDefinition($"SELECT {SelectColumns} FROM persons WHERE id = @target", new { target }, cancellationToken: ct));
        }
        return row?.ToStored();
    }

    public static async Task<List<StoredPerson>> FindMergedIntoAsync(Database db, int id, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<Row>(new CommandDefinition($"SELECT {SelectColumns} FROM persons WHERE merged_into = @id ORDER BY id", new { id }, cancellationToken: ct));
        return rows.Select(r => r.ToStored()).ToList();
    }

    public static async Task<List<PersonHistoryEntry>> HistoryAsync(Database db, IReadOnlyCollection<int> personIds, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var list = new List<PersonHistoryEntry>();
        foreach (var id in personIds)
        {
            var rows = await c.QueryAsync<(long, long, string, string)>(new CommandDefinition(
                "SELECT person_id, at, action, detail FROM person_history WHERE person_id = @id ORDER BY at, id", new { id }, cancellationToken: ct));
            list.AddRange(rows.Select(r => new PersonHistoryEntry((int)r.Item1, r.Item2, r.Item3, r.Item4)));
        }
        return list.OrderBy(e => e.At).ToList();
    }

    public static Task<long> UpsertAsync(StoreSession s, IEnumerable<StoredPerson> people, CancellationToken ct = default)
    {
        var now = s.Db.Now;
        return BulkWriter.UpsertAsync(s, PersonTable, people.Select(p => (p, now)), ct);
    }

    public static Task<long> AddKeysAsync(StoreSession s, IEnumerable<(string Key, int PersonId)> keys, CancellationToken ct = default) =>
        BulkWriter.UpsertAsync(s, KeyTable, keys, ct);

    public static Task<long> AddHistoryAsync(StoreSession s, IEnumerable<PersonHistoryEntry> entries, CancellationToken ct = default) =>
        BulkWriter.UpsertAsync(s, HistoryTable, entries, ct);

    /// <summary>The living record registered under a document number of a type, if any.</summary>
    public static async Task<StoredPerson?> FindByDocumentAsync(Database db, IdType type, string number, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var row = await c.QueryFirstOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {SelectColumns} FROM persons WHERE id_number = @number AND id_type = @type AND merged_into IS NULL ORDER BY id LIMIT 1",
            new { number, type = type.ToCode() }, cancellationToken: ct));
        return row?.ToStored();
    }

    /// <summary>
    /// Registers a new person under a key of their own (R and the internal id, e.g. <c>R00100001</c>), with a
    /// history entry; refused (<c>person.documentTaken</c>) when their document number is registered meanwhile.
    /// </summary>
    public static async Task<StoredPerson> RegisterAsync(Database db, Person person, string detail, CancellationToken ct = default)
    {
        await using var s = await StoreSession.BeginAsync(db, ct);
        var (c, tx) = (s.Connection, s.Transaction);
        if (db.Provider == StoreProvider.Postgres)
        {
            // Two registrations at once must not take the same id (SQLite's write transaction already serialises).
            await c.ExecuteAsync(new CommandDefinition("LOCK TABLE persons IN SHARE ROW EXCLUSIVE MODE", transaction: tx, cancellationToken: ct));
        }
        if (person.IdNumber is { } number && person.IdType is { } type
            && await c.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT id FROM persons WHERE id_number = @number AND id_type = @type AND merged_into IS NULL LIMIT 1",
                new { number, type = type.ToCode() }, tx, cancellationToken: ct)) is not null)
        {
            throw new Fangkong.Control.RefusedException($"the {type.ToCode()} number is already registered", "person.documentTaken", "");
        }
        var id = (int)(await c.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT MAX(id) FROM persons", transaction: tx, cancellationToken: ct)) ?? 0) + 1;
        var key = $"R{id:D8}";
        for (var n = 2; await c.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM persons WHERE person_key = @key", new { key }, tx, cancellationToken: ct)) + await c.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM person_keys WHERE person_key = @key", new { key }, tx, cancellationToken: ct)) > 0; n++)
        {
            key = $"R{id:D8}-{n}";
        }
        var stored = new StoredPerson(id, person with { PersonKey = key }, null);
        await UpsertAsync(s, [stored], ct);
        await AddHistoryAsync(s, [new PersonHistoryEntry(id, db.Now, "created", detail)], ct);
        await s.CommitAsync(ct);
        return stored;
    }

    public static async Task<long> CountAsync(Database db, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return await c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM persons WHERE merged_into IS NULL AND (id_type IS NULL OR id_type <> 'pseudonym')", cancellationToken: ct));
    }

    /// <summary>
    /// Joins <paramref name="other"/> into <paramref name="keep"/>: the other record stays, marked as
    /// merged, so both histories survive; its keys now name the kept person, and fields the kept
    /// record lacks are filled from it. Both records get a history entry.
    /// </summary>
    public static async Task MergeAsync(Database db, StoredPerson keep, StoredPerson other, CancellationToken ct = default)
    {
        var a = keep.Person;
        var b = other.Person;
        var filled = a with
        {
            IdType = a.IdType ?? b.IdType,
            IdNumber = a.IdNumber ?? b.IdNumber,
            Name = a.Name ?? b.Name,
            Sex = a.Sex ?? b.Sex,
            BirthDate = a.BirthDate ?? b.BirthDate,
            Phone = a.Phone ?? b.Phone,
            CommunityCode = a.CommunityCode ?? b.CommunityCode,
            Address = a.Address ?? b.Address,
        };
        await using var s = await StoreSession.BeginAsync(db, ct);
        await UpsertAsync(s, [keep with { Person = filled }, other with { MergedInto = keep.Id }], ct);
        await s.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE persons SET merged_into = @keep WHERE merged_into = @other; UPDATE person_keys SET person_id = @keep WHERE person_id = @other;",
            new { keep = keep.Id, other = other.Id }, s.Transaction, cancellationToken: ct));
        await AddHistoryAsync(s,
        [
            new PersonHistoryEntry(keep.Id, db.Now, "merged", PersonHistory.Detail(("person_id", b.PersonKey))),
            new PersonHistoryEntry(other.Id, db.Now, "merged_into", PersonHistory.Detail(("person_id", a.PersonKey))),
        ], ct);
        await s.CommitAsync(ct);
    }
}
