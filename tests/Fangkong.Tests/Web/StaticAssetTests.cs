using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace Fangkong.Tests.Web;

/// <summary>
/// Static files are linked with a fingerprint and kept for a year, served compressed in the encoding
/// the browser accepts (the same bytes once decoded), revalidated by ETag, and nothing outside the
/// assets is reachable through them.
/// </summary>
[Collection(nameof(SqliteCentreCollection))]
public sealed partial class StaticAssetTests(SqliteCentre centre)
{
    [Fact]
    public async Task PagesLinkFingerprintedAssets_KeptForAYear_AndCompressedToTheSameBytes()
    {
        using var commander = await centre.SignedInAsync("commander");
        var page = await commander.GetStringAsync("/");
        var links = AssetLink().Matches(page).Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.Contains(links, l => l.StartsWith("/assets/css/site.css?v=", StringComparison.Ordinal));
        Assert.Contains(links, l => l.StartsWith("/assets/js/charts.js?v=", StringComparison.Ordinal));
        Assert.Contains(links, l => l.StartsWith("/assets/map/ningxia-counties.geojson?v=", StringComparison.Ordinal));

        using var http = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = centre.BaseAddress };
        foreach (var link in links)
        {
            var plain = await http.GetAsync(link);
            Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
            Assert.Equal("public, max-age=31536000, immutable", plain.Headers.CacheControl!.ToString());
            Assert.Empty(plain.Content.Headers.ContentEncoding);
            var bytes = await plain.Content.ReadAsByteArrayAsync();

            foreach (var (coding, decode) in new (string, Func<Stream, Stream>)[] { ("br", s => new BrotliStream(s, CompressionMode.Decompress)), ("gzip", s => new GZipStream(s, CompressionMode.Decompress)) })
            {
                // Brotli at its smallest is made in the background after start; until then gzip answers.
                HttpResponseMessage compressed;
                var deadline = DateTime.UtcNow.AddSeconds(60);
                do
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, link);
                    request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue(coding));
                    request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip", 0.5));
                    compressed = await http.SendAsync(request);
                    var got = Assert.Single(compressed.Content.Headers.ContentEncoding);
                    if (got == coding)
                    {
                        break;
                    }
                    Assert.Equal("gzip", got);
                    await Task.Delay(250);
                }
                while (DateTime.UtcNow < deadline);
                Assert.Equal(coding, Assert.Single(compressed.Content.Headers.ContentEncoding));
                var body = await compressed.Content.ReadAsByteArrayAsync();
                // Text compresses to under half its size once there is enough of it to find repeats in.
                Assert.True(body.Length < (bytes.Length >= 4096 ? bytes.Length / 2 : bytes.Length), $"{link} {coding}: {body.Length} of {bytes.Length} bytes");
                using var decoded = new MemoryStream();
                await using (var z = decode(new MemoryStream(body)))
                {
                    await z.CopyToAsync(decoded);
                }
                Assert.Equal(bytes, decoded.ToArray());
            }

            // Revalidation: the same ETag answers 304 with no body.
            using var again = new HttpRequestMessage(HttpMethod.Get, link);
            again.Headers.IfNoneMatch.Add(plain.Headers.ETag!);
            var notModified = await http.SendAsync(again);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        }
    }

    [Fact]
    public async Task AnAddressWithoutTheCurrentFingerprint_Revalidates_AndNothingElseIsServed()
    {
        using var http = new HttpClient { BaseAddress = centre.BaseAddress };
        var stale = await http.GetAsync("/assets/css/site.css?v=0000000000000000");
        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        Assert.True(stale.Headers.CacheControl!.NoCache);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/assets/css/none.css")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/assets/map/README.md")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/assets/..%2Fappsettings.json")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/assets/")).StatusCode);
    }

    [GeneratedRegex("(?:href|src|data-geo)=\"(/assets/[^\"]+)\"")]
    private static partial Regex AssetLink();
}
