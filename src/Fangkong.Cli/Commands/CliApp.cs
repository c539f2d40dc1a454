using System.CommandLine;
using Fangkong.Application;
using Fangkong.Policies;
using Fangkong.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Fangkong.Cli.Commands;

/// <summary>
/// A command's way into the use cases: the store named by --db, the same composition of handlers as the
/// command centre (<see cref="ApplicationServices"/>), and the operator (--actor) acting through the
/// command line, so that every change is audited with channel <c>cli</c>. Disposing flushes the audit log.
/// </summary>
internal sealed class CliApp : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private CliApp(Database db, ServiceProvider services, Actor actor)
    {
        Db = db;
        _services = services;
        Actor = actor;
    }

    public Database Db { get; }

    public Actor Actor { get; }

    public static async Task<CliApp> OpenAsync(ParseResult parse, CancellationToken ct)
    {
        var db = await CommandLine.OpenStoreAsync(parse, ct);
        var services = new ServiceCollection().AddFangkong(db, PolicyCommand.Load(parse)).BuildServiceProvider();
        return new CliApp(db, services, Actor.Operator(parse.GetValue(CommandLine.Actor)!));
    }

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    /// <summary>The profile named by <paramref name="option"/> when given, else the store's choice ('fangkong policy use').</summary>
    public Task<PolicyProfile> PolicyAsync(ParseResult parse, Option<string?> option, CancellationToken ct) =>
        PolicyCommand.ChosenAsync(parse, option, Get<PolicyCatalog>(), Db, ct);

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await Db.DisposeAsync();
    }
}
