using System.Globalization;
using Fangkong.Time;

namespace Fangkong.Web.Forms;

/// <summary>
/// A date and time as a form's <c>datetime-local</c> field sends it (local wall-clock time, no offset),
/// read in the deployment's zone. The one reading of such fields for every page.
/// </summary>
public static class FormTime
{
    private static readonly string[] Formats = ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm"];

    /// <summary>The instant of <paramref name="value"/>, or false when it is not a date and time.</summary>
    public static bool TryParse(string? value, DeploymentCalendar calendar, out long unixSeconds)
    {
        unixSeconds = 0;
        if (!DateTime.TryParseExact(value?.Trim(), Formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return false;
        }
        unixSeconds = calendar.FromLocal(local);
        return true;
    }

    /// <summary>An instant as the value of a <c>datetime-local</c> field (to the minute).</summary>
    public static string Value(long unixSeconds, DeploymentCalendar calendar) =>
        calendar.ToLocal(unixSeconds).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);
}
