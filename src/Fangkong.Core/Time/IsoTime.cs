using System.Globalization;

namespace Fangkong.Time;

/// <summary>
/// Parses the instants of SPEC 4.1: ISO 8601 with an offset (<c>2021-10-17T09:30:00+08:00</c>, or
/// <c>Z</c>). A time without an offset is read in the deployment's zone. The common fixed-width
/// form is parsed without allocation, because check-in files have tens of millions of them.
/// </summary>
public static class IsoTime
{
    public static bool TryParse(ReadOnlySpan<char> s, DeploymentCalendar calendar, out long unixSeconds)
    {
        s = s.Trim();
        if (TryParseFast(s, out unixSeconds))
        {
            return true;
        }
        if (s.Length < 10 || s[4] != '-')
        {
            return false;
        }
        var styles = DateTimeStyles.AllowWhiteSpaces;
        if (HasOffset(s))
        {
            if (DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, styles, out var dto))
            {
                unixSeconds = dto.ToUnixTimeSeconds();
                return true;
            }
            return false;
        }
        if (s.Length > 10 && DateTime.TryParse(s, CultureInfo.InvariantCulture, styles, out var local))
        {
            var offset = calendar.Zone.GetUtcOffset(local);
            unixSeconds = new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), offset).ToUnixTimeSeconds();
            return true;
        }
        return false;
    }

    /// <summary>True when the text ends in an offset (<c>Z</c> or <c>±hh:mm</c>) after its time of day.</summary>
    public static bool HasOffset(ReadOnlySpan<char> s)
    {
        s = s.Trim();
        if (s.EndsWith("Z") || s.EndsWith("z"))
        {
            return true;
        }
        var t = s.IndexOf('T');
        if (t < 0)
        {
            t = s.IndexOf(' ');
        }
        return t > 0 && s[t..].IndexOfAny('+', '-') > 0;
    }

    // yyyy-MM-ddTHH:mm:ss(+|-)hh:mm or ...Z
    private static bool TryParseFast(ReadOnlySpan<char> s, out long unixSeconds)
    {
        unixSeconds = 0;
        if (s.Length is not (25 or 20) || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') || s[13] != ':' || s[16] != ':')
        {
            return false;
        }
        if (!Digits(s, 0, 4, out var year) || !Digits(s, 5, 2, out var month) || !Digits(s, 8, 2, out var day)
            || !Digits(s, 11, 2, out var hour) || !Digits(s, 14, 2, out var minute) || !Digits(s, 17, 2, out var second))
        {
            return false;
        }
        int offsetMinutes;
        if (s.Length == 20)
        {
            if (s[19] != 'Z' && s[19] != 'z')
            {
                return false;
            }
            offsetMinutes = 0;
        }
        else
        {
            if ((s[19] != '+' && s[19] != '-') || s[22] != ':' || !Digits(s, 20, 2, out var oh) || !Digits(s, 23, 2, out var om) || oh > 14 || om > 59)
            {
                return false;
            }
            offsetMinutes = (oh * 60 + om) * (s[19] == '-' ? -1 : 1);
        }
        if (month is < 1 or > 12 || day < 1 || year < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }
        var days = new DateOnly(year, month, day).DayNumber - 719162; // 719162 = DayNumber of 1970-01-01
        unixSeconds = days * 86400L + hour * 3600 + minute * 60 + second - offsetMinutes * 60L;
        return true;
    }

    private static bool Digits(ReadOnlySpan<char> s, int start, int count, out int value)
    {
        value = 0;
        for (var i = start; i < start + count; i++)
        {
            var d = s[i] - '0';
            if ((uint)d > 9)
            {
                return false;
            }
            value = value * 10 + d;
        }
        return true;
    }

    public static bool TryParseDate(ReadOnlySpan<char> s, out DateOnly date) =>
        DateOnly.TryParseExact(s.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
}
