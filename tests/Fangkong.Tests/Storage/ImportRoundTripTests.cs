using Fangkong.Files;
using Fangkong.Files.Exports;
using Fangkong.Files.Imports;
using Fangkong.Storage;
using Fangkong.Storage.Jurisdictions;
using Fangkong.Storage.People;
using Fangkong.Tests.Support;

namespace Fangkong.Tests.Storage;

/// <summary>Imports and exports on both providers, from the same test code.</summary>
public sealed class ImportRoundTripTests
{
    private static readonly (FileKind Kind, string Content)[] SampleSet =
    [
        (FileKind.Persons, SampleFiles.Persons), (FileKind.Venues, SampleFiles.Venues), (FileKind.Checkins, SampleFiles.Checkins),
        (FileKind.Exposures, SampleFiles.Exposures), (FileKind.Cases, SampleFiles.Cases),
    ];

    private static async Task<ImportResult> ImportAsync(Database db, TestStore store, FileKind kind, string content, ImportOptions? options = null) =>
        await ImportRunner.RunAsync(db, kind, await store.WriteAsync(kind + ".csv", content), options ?? new ImportOptions());

    internal static async Task ImportSampleAsync(Database db, TestStore store)
    {
        await JurisdictionRepository.EnsureReferenceAsync(db);
        foreach (var (kind, content) in SampleSet)
        {
            var result = await ImportAsync(db, store, kind, content);
            Assert.False(result.Refused, string.Join("\n", result.Errors));
        }
    }

    [Theory]
    [MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task ImportThenExport_GivesBackTheSameFiles(StoreProvider provider)
    {
        await using var store = await TestStore.CreateAsync(provider);
        await using var db = await store.OpenAsync();
        await ImportSampleAsync(db, store);
        foreach (var (kind, content) in SampleSet)
        {
            var path = store.File(kind + ".out.csv");
            await ExportRunner.RunAsync(db, kind, path);
            Assert.Equal(content.ReplaceLineEndings("\n") + "\n", await File.ReadAllTextAsync(path));
        }
    }

    [Theory]
    [MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task ReimportingTheSameFiles_ChangesNothing(StoreProvider provider)
    {
        await using var store = await TestStore.CreateAsync(provider);
        await using var db = await store.OpenAsync();
        await ImportSampleAsync(db, store);
        var history = (await PersonRepository.HistoryAsync(db, [1, 2, 3, 4])).Count;
        foreach (var (kind, content) in SampleSet)
        {
            var again = await ImportAsync(db, store, kind, content);
            Assert.False(again.Refused);
            Assert.Equal(0, again.Written);
        }
        Assert.Equal(history, (await PersonRepository.HistoryAsync(db, [1, 2, 3, 4])).Count);
        Assert.Equal(4, await PersonRepository.CountAsync(db));
    }

    [Theory]
    [MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task BadRows_RefuseTheFile_NameLineColumnReason_AndChangeNothing(StoreProvider provider)
    {
        await using var store = await TestStore.CreateAsync(provider);
        await using var db = await store.OpenAsync();
        await ImportSampleAsync(db, store);
        var bad = $"""
            person_id,id_number,name,phone,sex
            a,{SampleFiles.Alice},王丽丽,13912345678,F
            e,110105194912310021,赵六,13812345678,M
            f,,,12345,
            g,{SampleFiles.Chen[..17]}X,,,
            h,11010519491231002X,钱七,,M
            c,{SampleFiles.Bo},,,
            """;
        var result = await ImportAsync(db, store, FileKind.Persons, bad);
        Assert.True(result.Refused);
        var messages = result.Errors.Select(e => e.ToString()).ToList();
        Assert.Contains("line 3, column id_number: resident ID 110105194912310021 check digit is 1, expected X", messages);
        Assert.Contains("line 4, column phone: '12345' is not a mobile number (11 digits starting 13–19, optionally +86)", messages);
        Assert.Contains($"line 7, column id_number: {SampleFiles.Bo} is already registered to person_id b; merge the two with 'fangkong person merge'", messages);
        Assert.Contains(messages, m => m.StartsWith("line 5, column id_number:", StringComparison.Ordinal) && m.Contains("check digit", StringComparison.Ordinal));
        Assert.Contains("line 6, column sex: M does not match the resident ID, which gives F", messages);
        var alice = await PersonRepository.FindAsync(db, "a");
        Assert.Equal("王丽", alice!.Person.Name);
        Assert.Equal(4, await PersonRepository.CountAsync(db));
    }

    [Theory]
    [MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task SkipBad_ImportsTheGoodRows_AndWritesRejectsWithLineAndReason(StoreProvider provider)
    {
        await using var store = await TestStore.CreateAsync(provider);
        await using var db = await store.OpenAsync();
        await ImportSampleAsync(db, store);
        const string checkins = """
            person_id,venue_id,check_in,check_out
            b,v2,2021-10-18T12:00:00+08:00,2021-10-18T12:30:00+08:00
            zz,v2,2021-10-18T12:00:00+08:00,2021-10-18T12:30:00+08:00
            b,v9,2021-10-18T12:00:00+08:00,2021-10-18T12:30:00+08:00
            b,v2,2021-10-18T13:00:00+08:00,2021-10-18T12:30:00+08:00
            b,v2,yesterday,2021-10-18T12:30:00+08:00
            """;
        var result = await ImportAsync(db, store, FileKind.Checkins, checkins, new ImportOptions(SkipBad: true));
        Assert.False(result.Refused);
        Assert.Equal((5, 1, 4, 1), (result.RowsInFile, result.Accepted, result.Rejected, result.Written));
        var rejects = await File.ReadAllLinesAsync(result.RejectsPath!);
        Assert.Equal("line,error,person_id,venue_id,check_in,check_out", rejects[0]);
        Assert.StartsWith("3,person_id: 'zz' is not a known person", rejects[1], StringComparison.Ordinal);
        Assert.StartsWith("4,venue_id: 'v9' is not a known venue", rejects[2], StringComparison.Ordinal);
        Assert.StartsWith("5,check_out: is before check_in", rejects[3], StringComparison.Ordinal);
        Assert.StartsWith("6,check_in: 'yesterday' is not an ISO 8601 time", rejects[4], StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task SameDocumentNumber_UnderANewKey_IsTheSamePerson(StoreProvider provider)
    {
        await using var store = await TestStore.CreateAsync(provider);
        await using var db = await store.OpenAsync();
        await ImportSampleAsync(db, store);
        var result = await ImportAsync(db, store, FileKind.Persons, $"person_id,id_number,phone\nhospital-77,{SampleFiles.Bo},13700001111\n");
        Assert.False(result.Refused, string.Join("\n", result.Errors));
        Assert.Equal(4, await PersonRepository.CountAsync(db));
        var viaNewKey = await PersonRepository.FindAsync(db, "hospital-77");
        Assert.Equal("b", viaNewKey!.Person.PersonKey);
        Assert.Equal("13700001111", viaNewKey.Person.Phone);
        var checkin = await ImportAsync(db, store, FileKind.Checkins, "person_id,venue_id,check_in,check_out\nhospital-77,v3,2021-10-19T08:00:00+08:00,2021-10-19T08:20:00+08:00\n");
        Assert.Equal(1, checkin.Written);
    }

    [Theory]
    [MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task Merge_JoinsTwoRecords_AndKeepsBothHistories(StoreProvider provider)
    {
        await using var store = await TestStore.CreateAsync(provider);
        await using var db = await store.OpenAsync();
        await ImportSampleAsync(db, store);
        await ImportAsync(db, store, FileKind.Persons, "person_id,name,phone\nd2,John Smith,13511112222\n");
        var keep = await PersonRepository.FindAsync(db, "d");
        var other = await PersonRepository.FindAsync(db, "d2");
        await PersonRepository.MergeAsync(db, keep!, other!);
        var merged = await PersonRepository.FindAsync(db, "d2");
        Assert.Equal("d", merged!.Person.PersonKey);
        Assert.Equal("13511112222", merged.Person.Phone);
        Assert.Equal(4, await PersonRepository.CountAsync(db));
        var history = await PersonRepository.HistoryAsync(db, [keep!.Id, other!.Id]);
        Assert.Contains(history, h => h.PersonId == keep.Id && h.Action == "created");
        Assert.Contains(history, h => h.PersonId == other.Id && h.Action == "created");
        Assert.Contains(history, h => h.PersonId == other.Id && h.Action == "merged_into");
        Assert.Contains(history, h => h.PersonId == keep.Id && h.Action == "merged");
        var exportPath = store.File("after-merge.csv");
        await ExportRunner.RunAsync(db, FileKind.Persons, exportPath);
        Assert.Equal(5, (await File.ReadAllLinesAsync(exportPath)).Length);
    }

    [Theory]
    [MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task CommunityCodes_BelowACounty_MustBeKnown(StoreProvider provider)
    {
        await using var store = await TestStore.CreateAsync(provider);
        await using var db = await store.OpenAsync();
        await JurisdictionRepository.EnsureReferenceAsync(db);
        const string persons = "person_id,community_code\nx,640104001002\n";
        var refused = await ImportAsync(db, store, FileKind.Persons, persons);
        Assert.Equal("line 2, column community_code: 640104001002 is not a township or community the store knows; import it with 'import jurisdictions' first", refused.Errors.Single().ToString());
        var divisions = await ImportAsync(db, store, FileKind.Jurisdictions, "code,name,parent_code\n640104001,新华街道,640104\n640104001002,幸福社区,640104001\n");
        Assert.False(divisions.Refused, string.Join("\n", divisions.Errors));
        Assert.False((await ImportAsync(db, store, FileKind.Persons, persons)).Refused);
    }

    [Theory]
    [MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task PersonsExportToExcel_WithTheSameColumns(StoreProvider provider)
    {
        await using var store = await TestStore.CreateAsync(provider);
        await using var db = await store.OpenAsync();
        await ImportSampleAsync(db, store);
        var path = store.File("persons.xlsx");
        Assert.Equal(4, await ExportRunner.RunAsync(db, FileKind.Persons, path));
        var rows = MiniExcelLibs.MiniExcel.Query(path, useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(FileColumns.ExportOrder(FileKind.Persons), rows[0].Keys);
        Assert.Equal("王丽", rows[0]["name"]);
        Assert.Equal(SampleFiles.Chen, rows[2]["id_number"]);
    }
}
