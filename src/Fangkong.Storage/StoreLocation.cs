namespace Fangkong.Storage;

public enum StoreProvider
{
    Sqlite,
    Postgres,
}

/// <summary>
/// Where the store lives, from <c>--db</c> or <c>FANGKONG_DB</c>: a file path for the embedded
/// SQLite store, or a PostgreSQL connection string (<c>Host=…;Database=…</c>).
/// </summary>
public sealed record StoreLocation(StoreProvider Provider, string ConnectionString, string? FilePath)
{
    public const string EnvironmentVariable = "FANGKONG_DB";
    public const string DefaultFileName = "fangkong.db";

    /// <summary>The folder of day segments kept beside an embedded store.</summary>
    public string? CheckinFolder => StayFolder(Checkins.StayKind.Checkins);

    /// <summary>The folder of one kind of stays' day segments beside an embedded store.</summary>
    public string? StayFolder(Checkins.StayKind kind) => FilePath is null ? null : FilePath + kind.FolderSuffix;

    public static StoreLocation Parse(string? text)
    {
        text = string.IsNullOrWhiteSpace(text) ? Environment.GetEnvironmentVariable(EnvironmentVariable) : text;
        if (string.IsNullOrWhiteSpace(text))
        {
            text = DefaultFileName;
        }
        text = text.Trim();
        if (text.Contains('=', StringComparison.Ordinal))
        {
            var keys = text.Split(';', StringSplitOptions.RemoveEmptyEntries)
                .Select(p => p.Split('=', 2)[0].Trim().ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
            if (keys.Contains("host") || keys.Contains("server"))
            {
                return new StoreLocation(StoreProvider.Postgres, text, null);
            }
            if (keys.Contains("data source"))
            {
                var path = text.Split(';').First(p => p.Trim().StartsWith("data source", StringComparison.OrdinalIgnoreCase)).Split('=', 2)[1].Trim();
                return ForFile(path);
            }
            throw new StoreException(
                $"--db '{Redact(text)}' is neither a file path nor a PostgreSQL connection string. " +
                "Give a path such as ./fangkong.db for the embedded store, or 'Host=127.0.0.1;Database=fangkong;Username=…;Password=…' for PostgreSQL.");
        }
        if (text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return new StoreLocation(StoreProvider.Postgres, FromUri(new Uri(text)), null);
        }
        if (text.Contains("://", StringComparison.Ordinal))
        {
            throw new StoreException($"--db '{Redact(text)}' names an unknown provider. Use a file path (SQLite) or a PostgreSQL connection string.");
        }
        return ForFile(text);
    }

    private static StoreLocation ForFile(string path)
    {
        var full = Path.GetFullPath(path);
        return new StoreLocation(StoreProvider.Sqlite, $"Data Source={full};Pooling=True", full);
    }

    private static string FromUri(Uri uri)
    {
        var user = uri.UserInfo.Split(':', 2);
        var parts = new List<string> { $"Host={uri.Host}", $"Database={uri.AbsolutePath.Trim('/')}" };
        if (uri.Port > 0)
        {
            parts.Add($"Port={uri.Port}");
        }
        if (user[0].Length > 0)
        {
            parts.Add($"Username={Uri.UnescapeDataString(user[0])}");
        }
        if (user.Length > 1)
        {
            parts.Add($"Password={Uri.UnescapeDataString(user[1])}");
        }
        return string.Join(';', parts);
    }

    /// <summary>The location with any password removed, for messages.</summary>
    public static string Redact(string text) =>
        string.Join(';', text.Split(';').Select(p => p.Trim().StartsWith("password", StringComparison.OrdinalIgnoreCase) ? "Password=***" : p));

    public override string ToString() => FilePath ?? Redact(ConnectionString);
}
