using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Fangkong.Storage.Audit;

/// <summary>A checkpoint of the audit log: the entry it names, that entry's hash, when, and the keyed MAC over the three.</summary>
public sealed record AuditCheckpoint(long Seq, string Hash, long At, string Mac);

/// <summary>
/// Checkpoints of the audit log kept outside the database: after every committed batch, a line
/// <c>seq hash at mac</c> is appended to a file beside the store (opened for appending only), the MAC
/// an HMAC-SHA256 with a key that is not in the database. Someone who holds the database but not the key
/// cannot cut the log's tail, or delete entries and re-chain the rest, without <c>audit verify</c>
/// finding an entry that no longer matches its checkpoint, or a checkpoint past the end.
/// The file is <c>FANGKONG_AUDIT_ANCHORS</c> if set, else <c>STORE.audit-anchors</c> beside a file
/// store (under the user's data folder for a server store); the key is the file named by
/// <c>FANGKONG_AUDIT_KEY_FILE</c>, else <c>ANCHORS.key</c>, made on first use with mode 0600.
/// </summary>
public sealed class AuditAnchors
{
    public const string AnchorsVariable = "FANGKONG_AUDIT_ANCHORS";
    public const string KeyVariable = "FANGKONG_AUDIT_KEY_FILE";

    private static readonly Lock FileLock = new();
    private readonly byte[] _key;

    private AuditAnchors(string path, byte[] key) => (Path, _key) = (path, key);

    /// <summary>The checkpoint file.</summary>
    public string Path { get; }

    public static AuditAnchors For(StoreLocation location)
    {
        var path = Environment.GetEnvironmentVariable(AnchorsVariable) is { Length: > 0 } chosen ? chosen
            : location.FilePath is { } file ? file + ".audit-anchors"
            : System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "fangkong",
                Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(StoreLocation.Redact(location.ConnectionString))))[..16] + ".audit-anchors");
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        var keyPath = Environment.GetEnvironmentVariable(KeyVariable) is { Length: > 0 } k ? k : path + ".key";
        return new AuditAnchors(path, LoadOrMakeKey(keyPath));
    }

    public string MacOf(long seq, string hash, long at) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{seq}|{hash}|{at}"))));

    /// <summary>Appends a checkpoint naming entry <paramref name="seq"/> and its hash.</summary>
    public void Append(long seq, string hash, long at)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"{seq} {hash} {at} {MacOf(seq, hash, at)}\n");
        lock (FileLock)
        {
            using var file = new FileStream(Path, Private(FileMode.Append, FileShare.ReadWrite));
            file.Write(Encoding.ASCII.GetBytes(line));
            file.Flush(flushToDisk: true);
        }
    }

    /// <summary>The checkpoints on file, with the line number of each that is malformed or whose MAC does not verify.</summary>
    public (List<AuditCheckpoint> Valid, List<int> Forged) Read()
    {
        var (valid, forged) = (new List<AuditCheckpoint>(), new List<int>());
        if (!File.Exists(Path))
        {
            return (valid, forged);
        }
        var n = 0;
        foreach (var line in File.ReadLines(Path))
        {
            n++;
            var parts = line.Split(' ');
            if (parts.Length == 4 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var seq)
                && long.TryParse(parts[2], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var at)
                && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(MacOf(seq, parts[1], at)), Encoding.ASCII.GetBytes(parts[3])))
            {
                valid.Add(new AuditCheckpoint(seq, parts[1], at, parts[3]));
            }
            else
            {
                forged.Add(n);
            }
        }
        return (valid, forged);
    }

    /// <summary>Writing, and when the file is new, readable by its owner only (0600).</summary>
    private static FileStreamOptions Private(FileMode mode, FileShare share)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write, Share = share };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        return options;
    }

    private static byte[] LoadOrMakeKey(string keyPath)
    {
        if (File.Exists(keyPath))
        {
            return Convert.FromHexString(File.ReadAllText(keyPath).Trim());
        }
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(keyPath))!);
        var key = RandomNumberGenerator.GetBytes(32);
        try
        {
            using var file = new FileStream(keyPath, Private(FileMode.CreateNew, FileShare.None));
            file.Write(Encoding.ASCII.GetBytes(Convert.ToHexStringLower(key)));
            file.Flush(flushToDisk: true);
            return key;
        }
        catch (IOException) when (File.Exists(keyPath))
        {
            return Convert.FromHexString(File.ReadAllText(keyPath).Trim());   // another process made it first
        }
    }
}
