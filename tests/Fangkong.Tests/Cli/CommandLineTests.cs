using Fangkong.Cli.Commands;
using Fangkong.Tests.Support;

namespace Fangkong.Tests.Cli;

/// <summary>The command line as a user meets it: exit codes and one-line errors. Console output is process-wide, so these run one at a time.</summary>
[Collection(nameof(ConsoleCollection))]
public sealed class CommandLineTests
{
    [Fact]
    public async Task UnknownProviderString_IsOneLineWithWhatToDo()
    {
        var (code, _, err) = await Support.Cli.RunAsync("--db", "Provider=Oracle;User=x", "export", "persons", "x.csv");
        Assert.Equal(2, code);
        Assert.Single(err.Trim().Split('\n'));
        Assert.Contains("neither a file path nor a PostgreSQL connection string", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnreachablePostgres_IsOneLineWithWhatToDo()
    {
        var (code, _, err) = await Support.Cli.RunAsync("--db", "Host=127.0.0.1;Port=1;Database=x;Username=u;Password=p;Timeout=2", "export", "persons", "x.csv");
        Assert.Equal(2, code);
        Assert.Single(err.Trim().Split('\n'));
        Assert.Contains("Cannot reach PostgreSQL at Host=127.0.0.1;Port=1", err, StringComparison.Ordinal);
        Assert.DoesNotContain("Password=p", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefusedImport_ExitsNonZero_AndAcceptedOneZero()
    {
        await using var store = await TestStore.CreateAsync(Fangkong.Storage.StoreProvider.Sqlite);
        var bad = await store.WriteAsync("bad.csv", "person_id,phone\na,123\n");
        var (code, _, err) = await Support.Cli.RunAsync("--db", store.DbArgument, "import", "persons", bad);
        Assert.Equal(1, code);
        Assert.Contains("bad.csv: line 2, column phone: '123' is not a mobile number", err, StringComparison.Ordinal);
        Assert.Contains("nothing was imported", err, StringComparison.Ordinal);
        var good = await store.WriteAsync("good.csv", SampleFiles.Persons);
        (code, var output, _) = await Support.Cli.RunAsync("--db", store.DbArgument, "import", "persons", good);
        Assert.Equal(0, code);
        Assert.Contains("imported good.csv: 4 rows, 4 accepted, 0 rejected, 4 stored", output, StringComparison.Ordinal);
        (code, output, _) = await Support.Cli.RunAsync("--db", store.DbArgument, "person", "show", "a");
        Assert.Equal(0, code);
        Assert.Contains("王丽", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AKnownNumber_UnderAnotherName_IsRefused_HistoryReadsAsText_DuplicatesAreListed()
    {
        await using var store = await TestStore.CreateAsync(Fangkong.Storage.StoreProvider.Sqlite);
        var first = await store.WriteAsync("first.csv", SampleFiles.Persons);
        Assert.Equal(0, (await Support.Cli.RunAsync("--db", store.DbArgument, "import", "persons", first)).Code);
        var conflict = await store.WriteAsync("conflict.csv", $"person_id,id_number,name\nb2,{SampleFiles.Bo},莫红\n");
        var (code, _, err) = await Support.Cli.RunAsync("--db", store.DbArgument, "import", "persons", conflict);
        Assert.Equal(1, code);
        Assert.Contains("conflict.csv: line 2, column id_number: the number of b2 already belongs to b with another name; if they are one person use `person merge`", err, StringComparison.Ordinal);

        var same = await store.WriteAsync("same.csv", $"person_id,id_number,name,phone\nb2,{SampleFiles.Bo},马强,13911112222\nb3,,马强,13911112222\n");
        (code, var output, _) = await Support.Cli.RunAsync("--db", store.DbArgument, "import", "persons", same);
        Assert.Equal(0, code);
        Assert.Contains("1 rows joined an existing person by document number", output, StringComparison.Ordinal);

        (code, output, _) = await Support.Cli.RunAsync("--db", store.DbArgument, "person", "show", "b2");
        Assert.Equal(0, code);
        Assert.Contains("增加编号  人员编号：b2；证件类型：resident_id", output, StringComparison.Ordinal);
        Assert.Contains("出生日期：1990-01-31", output, StringComparison.Ordinal);
        Assert.Contains("电话：+8618612345678 → 13911112222", output, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u", output, StringComparison.Ordinal);

        (code, output, _) = await Support.Cli.RunAsync("--db", store.DbArgument, "person", "duplicates");
        Assert.Equal(0, code);
        Assert.Contains("1 group(s) of possible duplicates", output, StringComparison.Ordinal);
        Assert.Contains("b3", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingFile_IsOneLine()
    {
        await using var store = await TestStore.CreateAsync(Fangkong.Storage.StoreProvider.Sqlite);
        var (code, _, err) = await Support.Cli.RunAsync("--db", store.DbArgument, "import", "venues", store.File("nope.csv"));
        Assert.Equal(2, code);
        Assert.Contains("nope.csv: no such file.", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PolicyShow_PrintsTheProfile()
    {
        var (code, output, _) = await Support.Cli.RunAsync("policy", "show", "cn-v8-2021");
        Assert.Equal(0, code);
        Assert.Contains("\"windowDaysBefore\": 2", output, StringComparison.Ordinal);
        (code, _, var err) = await Support.Cli.RunAsync("policy", "show", "cn-v10");
        Assert.Equal(2, code);
        Assert.Contains("Unknown policy profile 'cn-v10'. Known: cn-v8-2021, cn-v9-2022.", err, StringComparison.Ordinal);
    }

    public static IEnumerable<object[]> Commands()
    {
        static IEnumerable<string[]> Walk(System.CommandLine.Command c, string[] path) =>
            new[] { path }.Concat(c.Subcommands.SelectMany(s => Walk(s, [.. path, s.Name])));
        return Walk(CommandLine.Build(), []).Select(p => new object[] { string.Join(' ', p) });
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task EveryCommand_HasHelp(string command)
    {
        var (code, output, _) = await Support.Cli.RunAsync([.. command.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--help"]);
        Assert.Equal(0, code);
        Assert.Contains("Usage:", output, StringComparison.Ordinal);
        Assert.Contains("--db", output, StringComparison.Ordinal);
    }
}

[CollectionDefinition(nameof(ConsoleCollection), DisableParallelization = true)]
public sealed class ConsoleCollection;
