namespace Fangkong.Cli.Bench;

/// <summary>An embedded store as files, for the benchmarks: removed before a measurement, copied for a fresh run.</summary>
internal static class BenchStore
{
    public static void Reset(string path)
    {
        foreach (var f in new[] { path, path + "-wal", path + "-shm" }.Concat(Beside(path).Files))
        {
            File.Delete(f);
        }
        foreach (var folder in Beside(path).Folders)
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    // What an embedded store keeps beside its file, PATH.something: day-segment folders (check-ins, grid stays) and the audit anchors.
    private static (List<string> Files, List<string> Folders) Beside(string path)
    {
        var dir = Path.GetDirectoryName(path)!;
        var prefix = Path.GetFileName(path) + ".";
        // Filtered by name: .NET's "NAME.*" pattern matches NAME itself too.
        bool Mine(string p) => Path.GetFileName(p).StartsWith(prefix, StringComparison.Ordinal);
        return Directory.Exists(dir) ? ([.. Directory.EnumerateFiles(dir).Where(Mine)], [.. Directory.EnumerateDirectories(dir).Where(Mine)]) : ([], []);
    }

    public static void Copy(string from, string to)
    {
        string Target(string source) => to + Path.GetFileName(source)[Path.GetFileName(from).Length..];
        foreach (var f in new[] { from, from + "-wal" }.Where(File.Exists).Concat(Beside(from).Files))
        {
            File.Copy(f, Target(f));
        }
        foreach (var folder in Beside(from).Folders)
        {
            foreach (var f in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
            {
                var copy = Path.Combine(Target(folder), Path.GetRelativePath(folder, f));
                Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
                File.Copy(f, copy);
            }
        }
    }
}
