using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Fangkong.Storage.Venues;

namespace Fangkong.Tests.Web;

/// <summary>The import page: all-or-nothing with a line-numbered report, skip-bad on request, and uploads checked for size and type before anything is read.</summary>
[Collection(nameof(SqliteCentreCollection))]
public sealed class ImportPageTests(SqliteCentre centre)
{
    private static async Task<HttpResponseMessage> UploadAsync(WebClient client, string kind, string fileName, byte[] content, bool skipBad = false)
    {
        var html = await client.GetStringAsync("/import");
        var token = WebClient.TokenIn(html);
        using var form = new MultipartFormDataContent
        {
            { new StringContent(kind), "kind" },
            { new StringContent(token), "__RequestVerificationToken" },
        };
        if (skipBad)
        {
            form.Add(new StringContent("true"), "skipBad");
        }
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", fileName);
        return await client.Http.PostAsync("/import", form);
    }

    [Fact]
    public async Task AFileRefusedAsAWhole_SaysWhyInTheUsersLanguage_WithoutTheServersPath()
    {
        using var client = await centre.SignedInAsync("investigator");
        var response = await UploadAsync(client, "venues", "venues.csv", Encoding.UTF8.GetBytes("venue_id,name,colour\nV-X,x,red\n"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("未知列", html, StringComparison.Ordinal);
        Assert.Contains("colour", html, StringComparison.Ordinal);
        Assert.DoesNotContain("fangkong-upload", html, StringComparison.Ordinal);
        Assert.DoesNotContain(Path.GetTempPath(), html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUploadOverTheLimit_SaysItIsTooLarge_NotThatSomethingIsMissing()
    {
        using var client = await centre.SignedInAsync("investigator");
        // As a careful client sends a large body: asking first (Expect: 100-continue), so that the refusal arrives before the bytes.
        client.Http.DefaultRequestHeaders.ExpectContinue = true;
        var content = new byte[101 * 1024 * 1024];
        Array.Fill(content, (byte)'a');
        var response = await UploadAsync(client, "venues", "big.csv", content);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("文件过大", html, StringComparison.Ordinal);
        Assert.DoesNotContain("辖区", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFileWithABadRow_ChangesNothing_AndNamesTheLineAndColumn()
    {
        using var client = await centre.SignedInAsync("investigator");
        var before = (await VenueRepository.LoadAllAsync(centre.Db)).Count;
        var csv = "venue_id,name,type,community_code,capacity,enclosed\nV-WEB-1,网测一,restaurant,640104001001,80,true\nV-WEB-2,网测二,restaurant,640104001001,not-a-number,true\n";
        var response = await UploadAsync(client, "venues", "venues.csv", Encoding.UTF8.GetBytes(csv));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Matches("<td>3</td><td>capacity</td><td>“not-a-number” 不是大于等于 0 的整数</td>", html);
        Assert.Equal(before, (await VenueRepository.LoadAllAsync(centre.Db)).Count);

        var skipped = await UploadAsync(client, "venues", "venues.csv", Encoding.UTF8.GetBytes(csv), skipBad: true);
        Assert.Equal(HttpStatusCode.OK, skipped.StatusCode);
        Assert.Equal(before + 1, (await VenueRepository.LoadAllAsync(centre.Db)).Count);
    }

    [Fact]
    public async Task AFileThatIsNotUtf8CsvText_IsRefusedBeforeReading()
    {
        using var client = await centre.SignedInAsync("investigator");
        var binary = await UploadAsync(client, "persons", "persons.csv", [0x50, 0x4B, 0x03, 0x04, 0x00, 0x00, 0x08, 0x00]);
        Assert.Equal(HttpStatusCode.BadRequest, binary.StatusCode);
        Assert.Contains("UTF-8", await binary.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var wrongName = await UploadAsync(client, "persons", "persons.exe", Encoding.UTF8.GetBytes("person_id\nP1\n"));
        Assert.Equal(HttpStatusCode.BadRequest, wrongName.StatusCode);
        var gbk = await UploadAsync(client, "persons", "persons.csv", [.. Encoding.ASCII.GetBytes("person_id,name\nP1,"), 0xCD, 0xF5, 0x0A]);
        Assert.Equal(HttpStatusCode.BadRequest, gbk.StatusCode);
    }

    [Fact]
    public async Task OnlyRolesThatImport_SeeThePage()
    {
        using var client = await centre.SignedInAsync("community");
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/import")).StatusCode);
    }

}
