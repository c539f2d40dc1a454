using Fangkong.Application;
using Fangkong.Policies;
using Fangkong.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Fangkong.Tests.Support;

/// <summary>The application's composition over a test store, as the command centre and the command line build it.</summary>
public static class App
{
    public static ServiceProvider Services(Database db) => new ServiceCollection().AddFangkong(db, PolicyCatalog.Load()).BuildServiceProvider();
}
