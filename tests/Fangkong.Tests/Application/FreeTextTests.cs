using Fangkong.Control;
using Fangkong.Input;

namespace Fangkong.Tests.Application;

/// <summary>Typed text is kept to its field's length and holds nothing that hides or reorders what a reader sees.</summary>
public sealed class FreeTextTests
{
    [Theory]
    [InlineData("咳嗽，乏力")]
    [InlineData("Fever since morning; 38.5 °C")]
    [InlineData("𠮷田的邻居")]
    [InlineData("")]
    [InlineData(null)]
    public void PlainText_Passes(string? text) => FreeText.Require("symptoms", text, FreeText.Long);

    [Theory]
    [InlineData("abc\u202Egnp.exe", "U+202E")]   // right-to-left override
    [InlineData("a\u2066b", "U+2066")]           // left-to-right isolate
    [InlineData("a\0b", "U+0000")]
    [InlineData("a\u001Bb", "U+001B")]
    [InlineData("line one\nline two", "U+000A")]  // a line break where one line is expected
    public void HiddenCharacters_AreRefused_NamingTheFieldAndTheCharacter(string text, string code)
    {
        var e = Assert.Throws<RefusedException>(() => FreeText.Require("place", text, FreeText.Medium));
        Assert.Equal("text.control", e.Code);
        Assert.Equal(new object?[] { "place", code }, e.Args);
    }

    [Fact]
    public void LineBreaks_PassInMultiLineFields_AndLengthIsBounded()
    {
        FreeText.Require("note", "line one\r\nline two\tend", FreeText.Long, multiline: true);
        var e = Assert.Throws<RefusedException>(() => FreeText.Require("symptoms", new string('咳', 200_000), FreeText.Long, multiline: true));
        Assert.Equal("text.tooLong", e.Code);
        Assert.Equal(new object?[] { "symptoms", FreeText.Long }, e.Args);
    }
}
