using Fangkong.Files;
using Fangkong.Files.Imports;
using Fangkong.Storage;
using Fangkong.Storage.People;
using Fangkong.Tests.Support;

namespace Fangkong.Tests.Files;

/// <summary>An import keeps no value that hides or reorders text, nor one longer than any field may be: the row is bad, named by line and column, and the file changes nothing.</summary>
public sealed class ImportTextRuleTests
{
    [Theory]
    [InlineData("王\u202E丽", "U+202E")]
    [InlineData("王\0丽", "U+0000")]
    [InlineData("王\u0007丽", "U+0007")]
    public async Task AHiddenCharacter_MakesTheRowBad_AndNothingIsStored(string name, string code)
    {
        await using var store = await TestStore.CreateAsync(StoreProvider.Sqlite);
        var path = await store.WriteAsync("persons.csv", $"person_id,name,community_code\nP1,张三,640104\nP2,{name},640104\n");
        await using var db = await store.OpenAsync();

        var result = await ImportRunner.RunAsync(db, FileKind.Persons, path, new ImportOptions(), null, CancellationToken.None);

        Assert.True(result.Refused);
        var error = Assert.Single(result.Errors);
        Assert.Equal((3L, "name", "hiddenCharacter"), (error.Line, error.Column, error.Code));
        Assert.Equal(code, error.Args[0]);
        Assert.Equal(0, await PersonRepository.CountAsync(db));
    }

    [Fact]
    public async Task AnOverlongValue_MakesTheRowBad_WhileLineBreaksInQuotesPass()
    {
        await using var store = await TestStore.CreateAsync(StoreProvider.Sqlite);
        var path = await store.WriteAsync("persons.csv", $"person_id,name,community_code,address\nP1,张三,640104,\"解放街1号\n3单元\"\nP2,李四,640104,{new string('街', 5000)}\n");
        await using var db = await store.OpenAsync();

        var result = await ImportRunner.RunAsync(db, FileKind.Persons, path, new ImportOptions(SkipBad: true), null, CancellationToken.None);

        Assert.False(result.Refused);
        Assert.Equal((1L, 1L), (result.Written, result.Rejected));
        Assert.Equal(("address", "tooLong"), (Assert.Single(result.Errors).Column, result.Errors[0].Code));
    }
}
