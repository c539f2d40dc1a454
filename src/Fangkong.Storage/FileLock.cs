namespace Fangkong.Storage;

/// <summary>
/// An exclusive lock on a file, held while one writer works (check-in segments, a stored trace). The
/// file is opened without sharing, which .NET enforces between processes too (an advisory lock on
/// Unix), so two writers — two requests of the server, or the server and a command line — take turns.
/// </summary>
internal sealed class FileLock : IAsyncDisposable
{
    private readonly FileStream _file;

    private FileLock(FileStream file) => _file = file;

    public static async Task<FileLock> AcquireAsync(string path, CancellationToken ct)
    {
        for (var wait = 5; ; wait = Math.Min(wait * 2, 200))
        {
            try
            {
                return new FileLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException)
            {
                // Held by another writer: wait for it.
                await Task.Delay(wait, ct);
            }
        }
    }

    public ValueTask DisposeAsync() => _file.DisposeAsync();
}
