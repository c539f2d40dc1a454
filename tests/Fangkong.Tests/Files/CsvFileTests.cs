using Fangkong.Files;
using Fangkong.Files.Imports;
using Fangkong.Storage;
using Fangkong.Storage.Jurisdictions;
using Fangkong.Storage.People;
using Fangkong.Tests.Support;

namespace Fangkong.Tests.Files;

/// <summary>Whole-file problems: the file is refused by name and line, and nothing changes.</summary>
public sealed class CsvFileTests : IAsyncLifetime
{
    private TestStore _store = null!;
    private Database _db = null!;

    public async Task InitializeAsync()
    {
        _store = await TestStore.CreateAsync(StoreProvider.Sqlite);
        _db = await _store.OpenAsync();
        await JurisdictionRepository.EnsureReferenceAsync(_db);
    }

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        await _store.DisposeAsync();
    }

    private async Task<string> RefusalAsync(FileKind kind, byte[] content)
    {
        var path = _store.File("f.csv");
        await File.WriteAllBytesAsync(path, content);
        var e = await Assert.ThrowsAsync<ImportRefusedException>(() => ImportRunner.RunAsync(_db, kind, path, new ImportOptions()));
        Assert.Equal(0, await PersonRepository.CountAsync(_db));
        return e.Message;
    }

    private static byte[] Utf8(string s) => System.Text.Encoding.UTF8.GetBytes(s.ReplaceLineEndings("\n"));

    [Fact]
    public async Task MissingRequiredColumn_IsNamed() =>
        Assert.EndsWith("line 1: missing required columns check_in, check_out.", await RefusalAsync(FileKind.Checkins, Utf8("person_id,venue_id\na,v1\n")), StringComparison.Ordinal);

    [Fact]
    public async Task UnknownColumn_IsNamed() =>
        Assert.Contains("line 1: unknown column 'nickname'", await RefusalAsync(FileKind.Persons, Utf8("person_id,nickname\na,x\n")), StringComparison.Ordinal);

    [Fact]
    public async Task RepeatedColumn_IsNamed() =>
        Assert.Contains("column 'name' appears twice", await RefusalAsync(FileKind.Persons, Utf8("person_id,name,name\na,x,y\n")), StringComparison.Ordinal);

    [Fact]
    public async Task NoHeader_IsRefused() =>
        Assert.Contains("line 1: unknown column 'a'", await RefusalAsync(FileKind.Persons, Utf8("a,王丽\nb,马强\n")), StringComparison.Ordinal);

    [Fact]
    public async Task InvalidUtf8_IsRefusedWithItsLine()
    {
        var bytes = Utf8("person_id,name\na,王丽\nb,").Concat(new byte[] { 0xC0, 0xFF, 0x41 }).Concat(Utf8("\n")).ToArray();
        Assert.Contains("not UTF-8 text", await RefusalAsync(FileKind.Persons, bytes), StringComparison.Ordinal);
    }

    [Fact]
    public async Task QuoteLeftOpen_IsRefusedWithItsLine() =>
        Assert.Contains("malformed CSV", await RefusalAsync(FileKind.Persons, Utf8("person_id,name\na,王丽\nb,\"马强\nc,李明\n")), StringComparison.Ordinal);

    [Fact]
    public async Task WrongNumberOfFields_IsABadRow()
    {
        var path = _store.File("f.csv");
        await File.WriteAllTextAsync(path, "person_id,name\na,王丽,extra\nb,马强\n");
        var result = await ImportRunner.RunAsync(_db, FileKind.Persons, path, new ImportOptions());
        Assert.True(result.Refused);
        Assert.Equal("line 2: has 3 fields; the header has 2", result.Errors.Single().ToString());
        Assert.Equal(0, await PersonRepository.CountAsync(_db));
    }

    [Fact]
    public async Task ByteOrderMark_AndCrLf_AreAccepted()
    {
        var path = _store.File("f.csv");
        await File.WriteAllBytesAsync(path, [0xEF, 0xBB, 0xBF, .. System.Text.Encoding.UTF8.GetBytes("person_id,name\r\na,王丽\r\n")]);
        var result = await ImportRunner.RunAsync(_db, FileKind.Persons, path, new ImportOptions());
        Assert.False(result.Refused, string.Join("\n", result.Errors));
        Assert.Equal("王丽", (await PersonRepository.FindAsync(_db, "a"))!.Person.Name);
    }

    [Fact]
    public async Task VenueTypes_AreKeptAsWritten_AndMatchPoliciesByTheirCode()
    {
        var path = _store.File("v.csv");
        await File.WriteAllTextAsync(path, "venue_id,type\nv1,Game Hall\nv2,KTV\nv3,农贸市场\nv4, \n");
        var result = await ImportRunner.RunAsync(_db, FileKind.Venues, path, new ImportOptions());
        Assert.Equal("line 5, column type: is empty (e.g. cinema, theatre, game_hall, ktv, gym, restaurant)", result.Errors.Single().ToString());
        await File.WriteAllTextAsync(path, "venue_id,type\nv1,Game Hall\nv2,KTV\nv3,农贸市场\n");
        Assert.False((await ImportRunner.RunAsync(_db, FileKind.Venues, path, new ImportOptions())).Refused);
        var rule = new Fangkong.Policies.OverlapRule(15, new Dictionary<string, int> { ["game_hall"] = 5 });
        Assert.Equal(5, rule.ForVenueType("Game Hall"));
        Assert.Equal(15, rule.ForVenueType("农贸市场"));
        var venues = await Fangkong.Storage.Venues.VenueRepository.LoadAllAsync(_db);
        Assert.Equal(["Game Hall", "KTV", "农贸市场"], venues.Select(v => v.Venue.Type));
    }

    [Fact]
    public async Task UnknownSex_IsAccepted_AndTakenFromTheResidentId()
    {
        var path = _store.File("p.csv");
        await File.WriteAllTextAsync(path, $"person_id,id_number,sex\na,{SampleFiles.Alice},U\nb,,unknown\nc,,Q\n");
        var result = await ImportRunner.RunAsync(_db, FileKind.Persons, path, new ImportOptions());
        Assert.Equal("line 4, column sex: 'Q' is not M or F (or U when not known)", result.Errors.Single().ToString());
    }
}
