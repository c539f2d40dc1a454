using System.Collections.Concurrent;
using System.IO.Compression;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace Fangkong.Web.Static;

/// <summary>One static file as served: its bytes, a content hash (the fingerprint), and its Brotli and gzip forms when it is text (made once, when first asked for).</summary>
public sealed class Asset(string path, string contentType, string hash, byte[] plain, bool text)
{
    private readonly Lazy<byte[]?> _brotli = new(() => text ? Compress(plain, s => new BrotliStream(s, CompressionLevel.SmallestSize)) : null);
    private readonly Lazy<byte[]?> _gzip = new(() => text ? Compress(plain, s => new GZipStream(s, CompressionLevel.SmallestSize)) : null);

    public string Path { get; } = path;
    public string ContentType { get; } = contentType;
    public string Hash { get; } = hash;
    public byte[] Plain { get; } = plain;
    public byte[]? Brotli => _brotli.Value;

    /// <summary>The Brotli form once made (Brotli at its smallest takes a while for the larger files); null until then, when gzip serves.</summary>
    public byte[]? BrotliIfReady => _brotli.IsValueCreated ? _brotli.Value : null;
    public byte[]? Gzip => _gzip.Value;

    private static byte[] Compress(byte[] plain, Func<Stream, Stream> wrap)
    {
        using var output = new MemoryStream();
        using (var z = wrap(output))
        {
            z.Write(plain);
        }
        return output.ToArray();
    }
}

/// <summary>
/// The command centre's static files (style sheet, scripts, the county map), embedded in the assembly.
/// Each is read once, fingerprinted by its SHA-256 and compressed once at the highest level (text
/// only): pages link <c>/assets/{path}?v={hash}</c>, which browsers keep for a year; a request without
/// the current fingerprint revalidates by ETag. Nothing is compressed per request.
/// </summary>
public sealed class AssetCatalog
{
    public const string RequestPath = "/assets";

    private static readonly HashSet<string> TextTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        "text/css", "text/javascript", "application/javascript", "application/json", "application/geo+json", "image/svg+xml", "text/plain",
    };

    private readonly IFileProvider _files;
    private readonly FileExtensionContentTypeProvider _types = new();
    private readonly ConcurrentDictionary<string, Asset?> _assets = new(StringComparer.Ordinal);

    public AssetCatalog(IFileProvider files)
    {
        _files = files;
        _types.Mappings[".geojson"] = "application/geo+json";
        _types.Mappings[".js"] = "text/javascript";
    }

    /// <summary>The embedded assets of the command centre.</summary>
    public static AssetCatalog Embedded() => new(new EmbeddedFileProvider(typeof(CommandCentre).Assembly, "Fangkong.Web.Assets"));

    /// <summary>The asset at <paramref name="path"/> (e.g. <c>css/site.css</c>), or null when there is none.</summary>
    public Asset? Find(string path) => _assets.GetOrAdd(path, Load);

    /// <summary>The fingerprinted address of an asset, for pages to link; throws for an asset that does not exist (a page's own mistake).</summary>
    public string Url(string path) =>
        Find(path) is { } a ? $"{RequestPath}/{path}?v={a.Hash}" : throw new InvalidOperationException($"no static asset '{path}'");

    private Asset? Load(string path)
    {
        if (path.Length == 0 || path.Contains("..", StringComparison.Ordinal) || path.StartsWith('/'))
        {
            return null;
        }
        var file = _files.GetFileInfo(path);
        if (!file.Exists || file.IsDirectory || !_types.TryGetContentType(path, out var type))
        {
            return null;
        }
        byte[] plain;
        using (var stream = file.CreateReadStream())
        using (var copy = new MemoryStream())
        {
            stream.CopyTo(copy);
            plain = copy.ToArray();
        }
        var hash = Convert.ToHexStringLower(SHA256.HashData(plain))[..16];
        return new Asset(path, type, hash, plain, TextTypes.Contains(type));
    }

    /// <summary>The assets the pages link, compressed ahead of the first request for them (the server calls this in the background at start).</summary>
    public static readonly IReadOnlyList<string> Linked =
        ["css/site.css", "js/dashboard.js", "js/chain.js", "js/tasks.js", "js/print.js", "js/charts.js", "js/tracing.js", "vendor/htmx.min.js", "map/ningxia-counties.geojson"];

    public void Warm()
    {
        foreach (var path in Linked)
        {
            _ = Find(path)?.Gzip;
        }
        foreach (var path in Linked)
        {
            _ = Find(path)?.Brotli;
        }
    }
}

/// <summary>Serves <see cref="AssetCatalog"/> under <c>/assets</c>: the encoding the browser accepts, ETag revalidation, a year's cache for a fingerprinted address.</summary>
public static class AssetEndpoint
{
    public static async Task ServeAsync(HttpContext context, AssetCatalog catalog)
    {
        var path = context.Request.Path.Value?.TrimStart('/') ?? "";
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }
        if (catalog.Find(path) is not { } asset)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        var headers = context.Response.Headers;
        var etag = $"\"{asset.Hash}\"";
        headers.ETag = etag;
        headers.Vary = "Accept-Encoding";
        headers.CacheControl = context.Request.Query["v"] == asset.Hash ? "public, max-age=31536000, immutable" : "no-cache";
        if (context.Request.Headers.IfNoneMatch == etag)
        {
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }
        var accepts = context.Request.Headers.AcceptEncoding.ToString();
        var (body, encoding) = asset switch
        {
            { BrotliIfReady: { } br } when Accepts(accepts, "br") => (br, "br"),
            { Gzip: { } gz } when Accepts(accepts, "gzip") => (gz, "gzip"),
            _ => (asset.Plain, (string?)null),
        };
        if (encoding is not null)
        {
            headers.ContentEncoding = encoding;
        }
        context.Response.ContentType = asset.ContentType;
        context.Response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(body, context.RequestAborted);
        }
    }

    private static bool Accepts(string header, string coding) =>
        header.Split(',').Select(p => p.Trim()).Any(p => p.Equals(coding, StringComparison.OrdinalIgnoreCase) ||
            (p.StartsWith(coding + ";", StringComparison.OrdinalIgnoreCase) && !p.Replace(" ", "", StringComparison.Ordinal).EndsWith("q=0", StringComparison.Ordinal)));
}
