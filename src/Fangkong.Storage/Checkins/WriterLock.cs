namespace Fangkong.Storage.Checkins;

/// <summary>
/// An exclusive lock on a file, held while one writer changes the check-in segments. The file is
/// opened without sharing, which .NET enforces between processes too (an advisory lock on Unix), so
/// two imports — two requests of the server, or the server and a command line — take turns.
/// </summary>
internal sealed class WriterLock : IAsyncDisposable
{
    private readonly FileStream _file;

    private WriterLock(FileStream file) => _file = file;

    public static async Task<WriterLock> AcquireAsync(string path, CancellationToken ct)
    {
        for (var wait = 5; ; wait = Math.Min(wait * 2, 200))
        {
            try
            {
                return new WriterLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
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
