namespace Fangkong.Web.Forms;

/// <summary>Whether the start of an uploaded file is UTF-8 text (no NUL byte, no invalid sequence), as a CSV file must be.</summary>
public static class UploadText
{
    /// <summary>The most bytes a page or the API accepts in one upload.</summary>
    public const long MaxBytes = 100L * 1024 * 1024;

    /// <summary>True when <paramref name="head"/> (the first bytes, perhaps cut inside a character) is text.</summary>
    public static bool IsText(ReadOnlySpan<byte> head) => !head.Contains((byte)0) && System.Text.Unicode.Utf8.IsValid(TrimPartial(head));

    /// <summary>The sample without a multi-byte character cut at its end.</summary>
    private static ReadOnlySpan<byte> TrimPartial(ReadOnlySpan<byte> bytes)
    {
        var end = bytes.Length;
        for (var back = 1; back <= 3 && end - back >= 0; back++)
        {
            var b = bytes[end - back];
            if ((b & 0xC0) == 0xC0)
            {
                return bytes[..(end - back)];
            }
            if ((b & 0x80) == 0)
            {
                break;
            }
        }
        return bytes;
    }
}
