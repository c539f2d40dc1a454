using Fangkong.Policies;

namespace Fangkong.Tests.Policies;

public sealed class PolicyCatalogTests
{
    [Fact]
    public void Presets_CarryTheSpecsValues()
    {
        var catalog = PolicyCatalog.Load();
        var v8 = catalog.Get("cn-v8-2021");
        var v9 = catalog.Get("cn-v9-2022");
        Assert.Equal(2, v8.Tracing.WindowDaysBefore);
        Assert.Equal(4, v9.Tracing.WindowDaysBefore);
        Assert.Equal(15, v8.Tracing.MinimumOverlapMinutes.ForVenueType("cinema"));
        Assert.Equal([14, 7], v8.Measures.CloseContact.Select(s => s.Days));
        Assert.Equal([1, 4, 7, 14], v8.Measures.CloseContact[0].TestDays);
        Assert.Equal([7, 3], v9.Measures.CloseContact.Select(s => s.Days));
        Assert.Equal([1, 2, 3, 5, 7], v9.Measures.CloseContact[0].TestDays);
        Assert.Equal("home_quarantine", v9.Measures.SecondaryContact[0].Measure);
        Assert.Equal(12, v8.TransferWithinHours);
        Assert.Equal(37.3, v9.FeverThresholdCelsius);
        Assert.Equal(3, v8.Tracing.Transport.FlightRowsEitherSide);
    }

    [Fact]
    public void Parse_SchemaViolation_NamesFileFieldAndReason()
    {
        var text = PolicyCatalog.RawText(PolicyCatalog.Load().Get("cn-v8-2021")).Replace("\"windowDaysBefore\": 2", "\"windowDaysBefore\": \"two\"", StringComparison.Ordinal);
        var e = Assert.Throws<PolicyLoadException>(() => PolicyCatalog.Parse(text, "my-policy.json"));
        Assert.Contains("my-policy.json", e.Message, StringComparison.Ordinal);
        Assert.Contains("/tracing/windowDaysBefore", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownField_IsRefused()
    {
        var text = PolicyCatalog.RawText(PolicyCatalog.Load().Get("cn-v9-2022")).Replace("\"transferWithinHours\"", "\"transferWithinHourz\"", StringComparison.Ordinal);
        var e = Assert.Throws<PolicyLoadException>(() => PolicyCatalog.Parse(text, "x.json"));
        Assert.Contains("x.json", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TestDayAfterTheMeasureEnds_IsRefused()
    {
        var text = PolicyCatalog.RawText(PolicyCatalog.Load().Get("cn-v8-2021")).Replace("\"testDays\": [1, 4, 7, 14] }", "\"testDays\": [1, 4, 7, 15] }", StringComparison.Ordinal);
        var e = Assert.Throws<PolicyLoadException>(() => PolicyCatalog.Parse(text, "late.json"));
        Assert.Contains("late.json: field /measures/closeContact/0/testDays/3: test day 15 is after the measure's last day 14", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BrokenJson_NamesTheLine()
    {
        var e = Assert.Throws<PolicyLoadException>(() => PolicyCatalog.Parse("{\n \"id\": \n", "broken.json"));
        Assert.Contains("broken.json: not valid JSON at line", e.Message, StringComparison.Ordinal);
    }
}
