namespace Fangkong.Tests.Support;

/// <summary>Where the repository is, found from the test binaries upwards (the folder holding Fangkong.slnx).</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Fangkong.slnx")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("repository root (Fangkong.slnx) not found above " + AppContext.BaseDirectory);
    }
}
