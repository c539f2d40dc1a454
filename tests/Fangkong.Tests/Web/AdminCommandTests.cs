using Fangkong.Storage;
using Fangkong.Storage.Accounts;
using Fangkong.Tests.Support;
using Fangkong.Application.Accounts;

namespace Fangkong.Tests.Web;

/// <summary><c>fangkong admin</c>: accounts are created with a checked role, jurisdiction and password; a member of the public is bound to their own record.</summary>
public sealed class AdminCommandTests
{
    private static async Task<(int Code, string Out, string Err)> RunAsync(TestStore store, params string[] args) =>
        await Support.Cli.RunAsync(["--db", store.DbArgument, .. args]);

    [Fact]
    public async Task Accounts_AreCreatedChecked_AndPasswordsAreHashed()
    {
        await using var store = await TestStore.CreateAsync(StoreProvider.Sqlite);
        var persons = await store.WriteAsync("persons.csv", SampleFiles.Persons);
        Assert.Equal(0, (await RunAsync(store, "import", "persons", persons)).Code);

        var ok = await RunAsync(store, "admin", "create-user", "zhang", "--name", "张敏", "--role", "investigator", "--jurisdiction", "640104", "--password", "a-long-secret-1");
        Assert.Equal(0, ok.Code);
        Account? account;
        await using (var db = await store.OpenAsync())
        {
            account = await AccountRepository.FindAsync(db, "zhang");
        }
        Assert.NotNull(account);
        Assert.DoesNotContain("a-long-secret-1", account!.PasswordHash, StringComparison.Ordinal);
        Assert.True(Passwords.Verify(account.PasswordHash, "a-long-secret-1", out _));

        var again = await RunAsync(store, "admin", "create-user", "zhang", "--name", "x", "--role", "auditor", "--jurisdiction", "640000", "--password", "a-long-secret-1");
        Assert.Equal(2, again.Code);
        Assert.Contains("already exists", again.Err, StringComparison.Ordinal);
        var weak = await RunAsync(store, "admin", "create-user", "wang", "--name", "x", "--role", "auditor", "--jurisdiction", "640000", "--password", "short");
        Assert.NotEqual(0, weak.Code);
        Assert.Contains("at least 10 characters", weak.Err + weak.Out, StringComparison.Ordinal);
        var noPerson = await RunAsync(store, "admin", "create-user", "lihua", "--name", "李华", "--role", "person", "--password", "a-long-secret-2");
        Assert.NotEqual(0, noPerson.Code);
        Assert.Contains("--person is required", noPerson.Err + noPerson.Out, StringComparison.Ordinal);

        var person = await RunAsync(store, "admin", "create-user", "lihua", "--name", "李华", "--role", "person", "--person", "a", "--password", "a-long-secret-2");
        Assert.Equal(0, person.Code);
        Account? li;
        await using (var db = await store.OpenAsync())
        {
            li = await AccountRepository.FindAsync(db, "lihua");
        }
        Assert.NotNull(li!.PersonId);
        Assert.Equal(Fangkong.Staff.StaffRole.Person, li.Role);
        Assert.Contains("lihua", (await RunAsync(store, "admin", "list-users")).Out, StringComparison.Ordinal);
    }
}
