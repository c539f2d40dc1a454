namespace Fangkong.Time;

/// <summary>
/// The deployment's time zone (default Asia/Shanghai) and the day boundaries it implies.
/// Instants are kept as Unix seconds throughout the store and the engines.
/// </summary>
public sealed class DeploymentCalendar
{
    public const string DefaultTimeZoneId = "Asia/Shanghai";

    public DeploymentCalendar(TimeZoneInfo zone) => Zone = zone;

    public static DeploymentCalendar Default { get; } = new(TimeZoneInfo.FindSystemTimeZoneById(DefaultTimeZoneId));

    public TimeZoneInfo Zone { get; }

    /// <summary>The local calendar date of an instant.</summary>
    public DateOnly LocalDate(long unixSeconds) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeSeconds(unixSeconds), Zone).DateTime);

    /// <summary>The instant of 00:00 local time on <paramref name="date"/>.</summary>
    public long StartOfDay(DateOnly date)
    {
        var local = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        var offset = Zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUnixTimeSeconds();
    }

    /// <summary>The instant of a local wall-clock time (a form's date and time, typed without an offset).</summary>
    public long FromLocal(DateTime local)
    {
        var wall = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        return new DateTimeOffset(wall, Zone.GetUtcOffset(wall)).ToUnixTimeSeconds();
    }

    /// <summary>An instant shown in local time with its offset, as files carry it.</summary>
    public DateTimeOffset ToLocal(long unixSeconds) =>
        TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeSeconds(unixSeconds), Zone);

    /// <summary>ISO 8601 with offset, e.g. <c>2021-10-17T09:30:00+08:00</c>.</summary>
    public string Format(long unixSeconds) => ToLocal(unixSeconds).ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A local date as a day number (days since 1970-01-01), the key of check-in day segments.</summary>
    public static int DayNumber(DateOnly date) => date.DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;

    public static DateOnly FromDayNumber(int day) => DateOnly.FromDayNumber(DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber + day);
}
