using Fangkong.Files;
using Fangkong.Files.Imports;
using Fangkong.Storage;
using Fangkong.Storage.Jurisdictions;
using Fangkong.Storage.People;
using Fangkong.Tests.Support;

namespace Fangkong.Tests.Storage;

/// <summary>
/// One document number is one person (SPEC C1): a row under a new key joins the person holding its
/// number only when the name and birth date agree; otherwise the row is bad, naming both keys, and
/// nothing is merged. On both stores.
/// </summary>
public sealed class IdentityConflictTests
{
    private static readonly string Yang = Ids.Resident("640104", new DateOnly(2013, 5, 25), 7);

    private static async Task<ImportResult> ImportAsync(Database db, TestStore store, string content, ImportOptions? options = null) =>
        await ImportRunner.RunAsync(db, FileKind.Persons, await store.WriteAsync($"persons-{Guid.NewGuid():N}.csv", content), options ?? new ImportOptions());

    private static async Task<(TestStore Store, Database Db)> SeededAsync(StoreProvider provider)
    {
        var store = await TestStore.CreateAsync(provider);
        var db = await store.OpenAsync();
        await JurisdictionRepository.EnsureReferenceAsync(db);
        var first = await ImportAsync(db, store, $"person_id,id_type,id_number,name,phone,community_code,address\nP033506,resident_id,{Yang},杨文,13900001111,640104,胜利街 1 号\n");
        Assert.False(first.Refused, string.Join("\n", first.Errors));
        return (store, db);
    }

    [Theory]
    [MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task AnotherName_UnderTheSameNumber_IsRefused_NamingBothKeys_AndChangesNothing(StoreProvider provider)
    {
        var (store, db) = await SeededAsync(provider);
        await using var _ = store;
        await using var __ = db;
        var result = await ImportAsync(db, store, $"person_id,id_type,id_number,name,phone,community_code,address\nP099001,resident_id,{Yang},莫红,13900002222,640104,解放街 9 号\n");
        Assert.True(result.Refused);
        var error = Assert.Single(result.Errors);
        Assert.Equal(2, error.Line);
        Assert.Equal("id_number", error.Column);
        Assert.Equal("idConflict.name", error.Code);
        Assert.Contains("P033506", error.Reason, StringComparison.Ordinal);
        Assert.Contains("P099001", error.Reason, StringComparison.Ordinal);
        Assert.Contains("person merge", error.Reason, StringComparison.Ordinal);
        var kept = await PersonRepository.FindAsync(db, "P033506");
        Assert.Equal("杨文", kept!.Person.Name);
        Assert.Equal("13900001111", kept.Person.Phone);
        Assert.Null(await PersonRepository.FindAsync(db, "P099001"));
        Assert.Empty(await PersonRepository.LoadKeysAsync(db));
    }

    [Theory]
    [MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task TheSameNameAndBirth_UnderANewKey_Joins_AndIsCounted(StoreProvider provider)
    {
        var (store, db) = await SeededAsync(provider);
        await using var _ = store;
        await using var __ = db;
        // Spaces inside a name do not make another person.
        var result = await ImportAsync(db, store, $"person_id,id_type,id_number,name,phone\nhospital-7,resident_id,{Yang},杨 文,13900003333\n");
        Assert.False(result.Refused, string.Join("\n", result.Errors));
        Assert.Equal(1, result.Joined);
        var joined = await PersonRepository.FindAsync(db, "hospital-7");
        Assert.Equal("P033506", joined!.Person.PersonKey);
        Assert.Equal("13900003333", joined.Person.Phone);
        var history = await PersonRepository.HistoryAsync(db, [joined.Id]);
        var added = Assert.Single(history, h => h.Action == "key_added");
        Assert.Equal("""{"person_id":"hospital-7","id_type":"resident_id"}""", added.Detail);
        var created = Assert.Single(history, h => h.Action == "created");
        // Readable as stored: characters as they are, the birth date an ISO date.
        Assert.Contains("杨文", created.Detail, StringComparison.Ordinal);
        Assert.Contains("\"birth_date\":\"2013-05-25\"", created.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task TwoPeople_WithOneNumber_InTheSameFile_TheSecondIsABadRow_SkipBadRejectsIt(StoreProvider provider)
    {
        await using var store = await TestStore.CreateAsync(provider);
        await using var db = await store.OpenAsync();
        await JurisdictionRepository.EnsureReferenceAsync(db);
        var file = $"person_id,id_type,id_number,name,birth_date\na1,passport,E1234567,LI MING,1980-02-03\na2,passport,E1234567,LI MING,1981-02-03\na3,passport,E7654321,WANG FANG,1990-01-01\na4,passport,E1234567,Zhao Lei,1975-07-07\n";
        var refused = await ImportAsync(db, store, file);
        Assert.True(refused.Refused);
        Assert.Equal([(3L, "idConflict.birth"), (5L, "idConflict.both")], refused.Errors.Select(e => (e.Line, e.Code)).ToArray());
        Assert.Equal(0, await PersonRepository.CountAsync(db));

        var rejects = store.File("rejects.csv");
        var skipped = await ImportAsync(db, store, file, new ImportOptions(SkipBad: true, RejectsPath: rejects));
        Assert.False(skipped.Refused);
        Assert.Equal(2, skipped.Rejected);
        Assert.Equal(2, await PersonRepository.CountAsync(db));
        var lines = await File.ReadAllLinesAsync(rejects);
        Assert.Equal(3, lines.Length);
        Assert.Contains("a1", lines[1], StringComparison.Ordinal);
        Assert.Contains("id_number", lines[1], StringComparison.Ordinal);
        Assert.Equal(new DateOnly(1980, 2, 3), (await PersonRepository.FindAsync(db, "a1"))!.Person.BirthDate);
    }

    [Theory]
    [MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task SameNameAndPhone_AreListedForReview_NeverMerged(StoreProvider provider)
    {
        await using var store = await TestStore.CreateAsync(provider);
        await using var db = await store.OpenAsync();
        await JurisdictionRepository.EnsureReferenceAsync(db);
        var result = await ImportAsync(db, store,
            "person_id,name,phone,community_code\nx1,张伟,13811112222,640104\nx2,张伟,13811112222,640104\nx3,张伟,13811113333,640104\nx4,李娜,13811112222,640104\nx5,张伟,13811112222,640302\n");
        Assert.False(result.Refused, string.Join("\n", result.Errors));
        Assert.Equal(5, await PersonRepository.CountAsync(db));
        var everywhere = await PersonDuplicates.ListAsync(db, "", new PageRequest());
        var group = Assert.Single(everywhere.Rows);
        Assert.Equal(["x1", "x2", "x5"], group.Members.Select(m => m.Person.PersonKey).ToArray());
        var county = await PersonDuplicates.ListAsync(db, "640104", new PageRequest());
        Assert.Equal(["x1", "x2"], Assert.Single(county.Rows).Members.Select(m => m.Person.PersonKey).ToArray());
        Assert.Empty((await PersonDuplicates.ListAsync(db, "640302", new PageRequest())).Rows);
        Assert.Equal(5, await PersonRepository.CountAsync(db));
    }
}
