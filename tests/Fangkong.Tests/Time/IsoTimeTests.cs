using System.Globalization;
using CsCheck;
using Fangkong.Time;

namespace Fangkong.Tests.Time;

public sealed class IsoTimeTests
{
    private static readonly DeploymentCalendar Calendar = DeploymentCalendar.Default;

    [Fact]
    public void TryParse_AgreesWithTheFrameworkParser_OnRandomInstantsAndOffsets()
    {
        // Oracle: DateTimeOffset.ParseExact on the same text.
        Gen.Select(Gen.Long[0, 4_000_000_000L], Gen.Int[-12 * 4, 14 * 4]).Sample((seconds, quarterHours) =>
        {
            var dto = DateTimeOffset.FromUnixTimeSeconds(seconds).ToOffset(TimeSpan.FromMinutes(quarterHours * 15));
            var text = dto.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
            Assert.True(IsoTime.TryParse(text, Calendar, out var parsed), text);
            Assert.Equal(DateTimeOffset.ParseExact(text, "yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture).ToUnixTimeSeconds(), parsed);
        }, iter: 5000);
    }

    [Theory]
    [InlineData("2021-10-17T09:30:00+08:00", "2021-10-17T01:30:00Z")]
    [InlineData("2021-10-17T01:30:00Z", "2021-10-17T01:30:00Z")]
    [InlineData("2021-10-17T09:30:00.500+08:00", "2021-10-17T01:30:00Z")]
    [InlineData("2021-10-17T09:30:00", "2021-10-17T01:30:00Z")]
    [InlineData("2021-10-17 09:30:00+08:00", "2021-10-17T01:30:00Z")]
    public void TryParse_AcceptedForms(string text, string utc)
    {
        Assert.True(IsoTime.TryParse(text, Calendar, out var parsed));
        Assert.Equal(DateTimeOffset.Parse(utc, CultureInfo.InvariantCulture).ToUnixTimeSeconds(), parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("2021-02-30T09:30:00+08:00")]
    [InlineData("2021-10-17T24:30:00+08:00")]
    [InlineData("17/10/2021 09:30")]
    [InlineData("2021-10-17")]
    public void TryParse_Rejects(string text) => Assert.False(IsoTime.TryParse(text, Calendar, out _));

    [Fact]
    public void StartOfDay_IsLocalMidnight()
    {
        var start = Calendar.StartOfDay(new DateOnly(2021, 10, 17));
        Assert.Equal("2021-10-17T00:00:00+08:00", Calendar.Format(start));
        Assert.Equal(new DateOnly(2021, 10, 16), Calendar.LocalDate(start - 1));
        Assert.Equal(new DateOnly(2021, 10, 17), Calendar.LocalDate(start));
    }
}
