using System.Globalization;
using System.Text.Json;
using Fangkong.Files.Csv;
using Fangkong.Jurisdictions;
using Fangkong.People;
using Fangkong.Storage.People;

namespace Fangkong.Files.Imports;

/// <summary>
/// Imports people. A known person_id updates that person. An unknown person_id whose document number
/// already belongs to a person (stored, or earlier in the file) becomes a further key of that person
/// only when the name and the birth date agree with theirs (counted in <c>Joined</c>); when either
/// differs the row is bad, naming the key the number belongs to, and nothing is merged by itself
/// (<c>person merge</c> joins two records of one person). Otherwise a new person is added. Only real
/// changes are written, each with a history entry, so importing the same file twice changes nothing.
/// </summary>
internal sealed class PersonImport : FileImport<StoredPerson>
{
    private readonly Dictionary<string, StoredPerson> _byKey = new(StringComparer.Ordinal);
    private readonly Dictionary<int, StoredPerson> _byId = [];
    private readonly Dictionary<string, int> _byDocument = new(StringComparer.Ordinal);
    private readonly Dictionary<int, StoredPerson> _changed = [];
    private readonly List<(string Key, int Id)> _newKeys = [];
    private readonly List<PersonHistoryEntry> _history = [];
    private HashSet<string> _jurisdictions = [];
    private HashSet<string> _present = [];
    private int _nextId;
    private long _now;
    private ImportContext _context = null!;

    public override async Task PrepareAsync(ImportContext context, CsvSource source, CancellationToken ct)
    {
        foreach (var p in await PersonRepository.LoadAllAsync(context.Db, ct))
        {
            _byKey[p.Person.PersonKey] = p;
            _byId[p.Id] = p;
            if (p.MergedInto is null && p.Person.IdNumber is { } doc)
            {
                _byDocument[DocumentKey(p.Person.IdType, doc)] = p.Id;
            }
        }
        foreach (var (key, id) in await PersonRepository.LoadKeysAsync(context.Db, ct))
        {
            _byKey.TryAdd(key, _byId[id]);
        }
        _nextId = _byId.Count == 0 ? 1 : _byId.Keys.Max() + 1;
        _jurisdictions = await context.JurisdictionCodesAsync(ct);
        _present = source.Columns.ToHashSet(StringComparer.Ordinal);
        _now = context.Db.Now;
        _context = context;
    }

    private static string DocumentKey(IdType? type, string number) => $"{(type ?? IdType.Other).ToCode()}:{number}";

    public override StoredPerson? Parse(CsvSource row, List<RowError> errors)
    {
        var line = row.Line + 1;
        var before = errors.Count;
        var key = row.Text("person_id");
        if (key is null)
        {
            errors.Add(new RowError(line, "person_id", "is empty") { Code = "empty" });
            return null;
        }
        _byKey.TryGetValue(key, out var existing);
        var old = existing?.Person;

        IdType? idType = old?.IdType;
        string? idNumber = old?.IdNumber;
        Sex? sex = old?.Sex;
        DateOnly? birth = old?.BirthDate;
        if (row.Has("id_number"))
        {
            idNumber = row.Text("id_number")?.ToUpperInvariant();
        }
        if (row.Has("id_type"))
        {
            var t = row.Text("id_type");
            if (t is null)
            {
                idType = idNumber is null ? null : IdType.ResidentId;
            }
            else if (IdTypes.TryParse(t, out var parsed))
            {
                idType = parsed;
            }
            else
            {
                errors.Add(new RowError(line, "id_type", $"'{t}' is not one of resident_id, passport, other") { Code = "notOneOf", Args = [t, "resident_id, passport, other"] });
            }
        }
        else if (idNumber is not null && idType is null)
        {
            idType = IdType.ResidentId;
        }
        if (row.Has("sex"))
        {
            var s = row.Text("sex");
            sex = null;
            if (s is not null && !Sexes.IsUnknown(s))
            {
                if (Sexes.TryParse(s, out var parsed))
                {
                    sex = parsed;
                }
                else
                {
                    errors.Add(new RowError(line, "sex", $"'{s}' is not M or F (or U when not known)") { Code = "sex", Args = [s] });
                }
            }
        }
        if (row.Has("birth_date"))
        {
            var b = row.Text("birth_date");
            birth = null;
            if (b is not null)
            {
                if (DateOnly.TryParseExact(b, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
                {
                    birth = parsed;
                }
                else
                {
                    errors.Add(new RowError(line, "birth_date", $"'{b}' is not a date YYYY-MM-DD") { Code = "notDate", Args = [b] });
                }
            }
        }
        if (idType == IdType.ResidentId && idNumber is not null)
        {
            if (!ResidentId.TryParse(idNumber, out var rid, out var why))
            {
                errors.Add(new RowError(line, "id_number", $"resident ID {idNumber} {why}") { Code = "residentId", Args = [idNumber] });
            }
            else
            {
                if (sex is { } given && given != rid.Sex && row.Text("sex") is { } written && !Sexes.IsUnknown(written))
                {
                    errors.Add(new RowError(line, "sex", $"{given.ToCode()} does not match the resident ID, which gives {rid.Sex.ToCode()}") { Code = "sexMismatch", Args = [given.ToCode(), rid.Sex.ToCode()] });
                }
                if (birth is { } gb && gb != rid.BirthDate && row.Text("birth_date") is not null)
                {
                    errors.Add(new RowError(line, "birth_date", $"{gb:yyyy-MM-dd} does not match the resident ID, which gives {rid.BirthDate:yyyy-MM-dd}") { Code = "birthMismatch", Args = [gb.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), rid.BirthDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)] });
                }
                sex ??= rid.Sex;
                birth ??= rid.BirthDate;
            }
        }
        var phone = row.Has("phone") ? row.Text("phone") : old?.Phone;
        if (phone is not null && row.Has("phone") && !PhoneNumber.IsValid(phone))
        {
            errors.Add(new RowError(line, "phone", $"'{phone}' is not a mobile number (11 digits starting 13–19, optionally +86)") { Code = "phone", Args = [phone] });
        }
        var community = row.Has("community_code") ? row.Text("community_code") : old?.CommunityCode;
        if (community is not null && row.Has("community_code"))
        {
            CheckCommunity(line, community, _jurisdictions, errors);
        }
        if (errors.Count > before)
        {
            return null;
        }

        var person = new Person(key, idType, idNumber,
            row.Has("name") ? row.Text("name") : old?.Name, sex, birth, phone, community,
            row.Has("address") ? row.Text("address") : old?.Address);
        return Resolve(line, existing, person, errors);
    }

    internal static void CheckCommunity(long line, string code, HashSet<string> known, List<RowError> errors)
    {
        if (!JurisdictionCode.TryParse(code, out var parsed, out var why))
        {
            errors.Add(new RowError(line, "community_code", why!) { Code = "communityCode", Args = [code] });
        }
        else if (parsed.Value.Length > 6 && !known.Contains(parsed.Value))
        {
            errors.Add(new RowError(line, "community_code", $"{code} is not a township or community the store knows; import it with 'import jurisdictions' first") { Code = "unknownCommunity", Args = [code] });
        }
    }

    private StoredPerson? Resolve(long line, StoredPerson? existing, Person person, List<RowError> errors)
    {
        int? documentOwner = person.IdNumber is { } doc && _byDocument.TryGetValue(DocumentKey(person.IdType, doc), out var owner) ? owner : null;
        if (OutsideScope(line, existing, documentOwner, person, errors))
        {
            return null;
        }
        if (existing is null && documentOwner is { } ownerId)
        {
            var holder = _byId[ownerId];
            if (Differs(person, holder.Person) is { } differs)
            {
                errors.Add(new RowError(line, "id_number", $"the number of {person.PersonKey} already belongs to {holder.Person.PersonKey} with another {differs.What}; if they are one person use `person merge`")
                {
                    Code = "idConflict." + differs.Code,
                    Args = [holder.Person.PersonKey, person.PersonKey],
                });
                return null;
            }
            // A new key for the person already registered under this document number, with their name and birth date; the row updates that person.
            existing = holder;
            _newKeys.Add((person.PersonKey, ownerId));
            _byKey[person.PersonKey] = existing;
            _history.Add(new PersonHistoryEntry(ownerId, _now, "key_added", PersonHistory.Detail(("person_id", person.PersonKey), ("id_type", person.IdType?.ToCode()))));
            Joined++;
            person = Inherit(person, existing.Person);
        }
        if (existing is not null && existing.MergedInto is not null)
        {
            existing = _byId[existing.MergedInto.Value];
        }
        if (existing is not null && documentOwner is { } other && other != existing.Id)
        {
            errors.Add(new RowError(line, "id_number", $"{person.IdNumber} is already registered to person_id {_byId[other].Person.PersonKey}; merge the two with 'fangkong person merge'") { Code = "idTaken", Args = [person.IdNumber, _byId[other].Person.PersonKey] });
            return null;
        }
        if (existing is null)
        {
            var created = new StoredPerson(_nextId++, person, null);
            Register(created, "created", Describe(null, person));
            return created;
        }
        // An import under a further key updates the person, but keeps its primary key.
        var updated = existing with { Person = person with { PersonKey = existing.Person.PersonKey } };
        if (updated.Person == existing.Person)
        {
            return existing;
        }
        Register(updated, "updated", Describe(existing.Person, updated.Person));
        return updated;
    }

    /// <summary>
    /// A user of a lower jurisdiction imports only people who live inside it and stay inside it. A row
    /// about anyone else is refused without saying who they are: not even the key an ID number is
    /// registered under elsewhere.
    /// </summary>
    private bool OutsideScope(long line, StoredPerson? existing, int? documentOwner, Person person, List<RowError> errors)
    {
        if (_context.Within is null)
        {
            return false;
        }
        var before = errors.Count;
        if (existing is not null && !_context.InScope(Canonical(existing).Person.CommunityCode))
        {
            errors.Add(new RowError(line, "person_id", $"'{person.PersonKey}' lives outside your jurisdiction") { Code = "personOutside", Args = [person.PersonKey] });
        }
        else if (documentOwner is { } owner && owner != existing?.Id && !_context.InScope(_byId[owner].Person.CommunityCode))
        {
            errors.Add(new RowError(line, "id_number", "is registered to a person outside your jurisdiction") { Code = "documentOutside" });
        }
        var community = existing is null && documentOwner is { } o && !_present.Contains("community_code") ? _byId[o].Person.CommunityCode : person.CommunityCode;
        if (errors.Count == before && !_context.InScope(community))
        {
            errors.Add(new RowError(line, "community_code", $"{community ?? "(empty)"} is outside your jurisdiction") { Code = "communityOutside", Args = [community ?? ""] });
        }
        return errors.Count > before;
    }

    /// <summary>
    /// What tells a row under a new key from the person holding its document number: a name or a birth date
    /// both give and that differ (ignoring spaces and letter case), or null when nothing does.
    /// </summary>
    private (string Code, string What)? Differs(Person row, Person holder)
    {
        var name = _present.Contains("name") && row.Name is { } a && holder.Name is { } b && !SameName(a, b);
        var birth = row.BirthDate is { } x && holder.BirthDate is { } y && x != y;
        return (name, birth) switch
        {
            (true, true) => ("both", "name and birth date"),
            (true, false) => ("name", "name"),
            (false, true) => ("birth", "birth date"),
            _ => null,
        };
    }

    private static bool SameName(string a, string b)
    {
        static string Squeeze(string s) => string.Concat(s.Where(c => !char.IsWhiteSpace(c) && c != '·' && c != '•'));
        return string.Equals(Squeeze(a), Squeeze(b), StringComparison.OrdinalIgnoreCase);
    }

    private StoredPerson Canonical(StoredPerson p) => p.MergedInto is { } m && _byId.TryGetValue(m, out var into) ? into : p;

    // A row under a new key only carries the columns it has; the others keep the person's values.
    private Person Inherit(Person row, Person known) => row with
    {
        Name = _present.Contains("name") ? row.Name : known.Name,
        Sex = row.Sex ?? known.Sex,
        BirthDate = row.BirthDate ?? known.BirthDate,
        Phone = _present.Contains("phone") ? row.Phone : known.Phone,
        CommunityCode = _present.Contains("community_code") ? row.CommunityCode : known.CommunityCode,
        Address = _present.Contains("address") ? row.Address : known.Address,
    };

    private void Register(StoredPerson p, string action, string detail)
    {
        if (_byId.TryGetValue(p.Id, out var previous) && previous.Person.IdNumber is { } oldDoc)
        {
            _byDocument.Remove(DocumentKey(previous.Person.IdType, oldDoc));
        }
        _byId[p.Id] = p;
        _byKey[p.Person.PersonKey] = p;
        if (p.Person.IdNumber is { } doc)
        {
            _byDocument[DocumentKey(p.Person.IdType, doc)] = p.Id;
        }
        _changed[p.Id] = p;
        _history.Add(new PersonHistoryEntry(p.Id, _now, action, detail));
    }

    // The detail of a history entry: the fields that changed, in ordinal order of their names; for a new
    // person each value, else [before, after]. Written directly (hundreds of thousands a file).
    private static readonly System.Text.Json.JsonWriterOptions DetailWriter = new() { Encoder = PersonHistory.Json.Encoder };

    [ThreadStatic]
    private static System.Buffers.ArrayBufferWriter<byte>? _detailBuffer;

    private static string Describe(Person? before, Person after)
    {
        var buffer = _detailBuffer ??= new System.Buffers.ArrayBufferWriter<byte>(512);
        buffer.ResetWrittenCount();
        using (var w = new Utf8JsonWriter(buffer, DetailWriter))
        {
            w.WriteStartObject();
            void Field(string name, string? a, string? b)
            {
                if (string.Equals(a, b, StringComparison.Ordinal))
                {
                    return;
                }
                if (before is null)
                {
                    w.WriteString(name, b);
                    return;
                }
                w.WriteStartArray(name);
                w.WriteStringValue(a);
                w.WriteStringValue(b);
                w.WriteEndArray();
            }
            // Ordinal order of the names, as the entries have always been written.
            Field("address", before?.Address, after.Address);
            Field("birth_date", Iso(before?.BirthDate), Iso(after.BirthDate));
            Field("community_code", before?.CommunityCode, after.CommunityCode);
            Field("id_number", before?.IdNumber, after.IdNumber);
            Field("id_type", before?.IdType?.ToCode(), after.IdType?.ToCode());
            Field("name", before?.Name, after.Name);
            Field("phone", before?.Phone, after.Phone);
            Field("sex", before?.Sex?.ToCode(), after.Sex?.ToCode());
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string? Iso(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public override Task<long> WriteAsync(ImportContext context, IReadOnlyList<StoredPerson> rows, string fileName, string fingerprint, long rowsInFile, long rejected, CancellationToken ct) =>
        InSessionAsync(context, async s =>
        {
            var written = await PersonRepository.UpsertAsync(s, [.. _changed.Values.OrderBy(p => p.Id)], ct);
            written += await PersonRepository.AddKeysAsync(s, _newKeys, ct);
            await PersonRepository.AddHistoryAsync(s, _history, ct);
            return written;
        }, "persons", fileName, fingerprint, rowsInFile, rejected, ct);
}
