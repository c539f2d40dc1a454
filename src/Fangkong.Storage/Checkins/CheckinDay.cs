namespace Fangkong.Storage.Checkins;

/// <summary>
/// The check-ins whose check-in falls on one local day, as columns sorted by
/// (venue, start, person, duration). Times are seconds after <see cref="DayStart"/> (Unix seconds of
/// local midnight); a stay may run past midnight, so <c>Start + Duration</c> can exceed 86,400.
/// </summary>
public sealed class CheckinDay
{
    public CheckinDay(int day, long dayStart, int[] venue, int[] person, int[] start, int[] duration)
    {
        if (person.Length != venue.Length || start.Length != venue.Length || duration.Length != venue.Length)
        {
            throw new ArgumentException("Check-in columns must have the same length.");
        }
        Day = day;
        DayStart = dayStart;
        Venue = venue;
        Person = person;
        Start = start;
        Duration = duration;
    }

    /// <summary>Days since 1970-01-01 of the local date.</summary>
    public int Day { get; }

    public long DayStart { get; }

    public int[] Venue { get; }

    public int[] Person { get; }

    public int[] Start { get; }

    public int[] Duration { get; }

    public int Count => Venue.Length;

    public int MaxDuration => Duration.Length == 0 ? 0 : Duration.Max();

    /// <summary>
    /// The day as the tracing index takes it. It ends 24 hours after its midnight (the deployment's zone
    /// keeps no summer time), or just after its last check-in on a longer day.
    /// </summary>
    public Fangkong.Tracing.DayColumns Columns =>
        new(DayStart, DayStart + Math.Max(86_400, Start.Length == 0 ? 0 : Start.Max() + 1L), Venue, Person, Start, Duration);

    public long CheckIn(int i) => DayStart + Start[i];

    public long CheckOut(int i) => DayStart + Start[i] + Duration[i];
}

/// <summary>A check-in to store: internal person and venue ids, Unix seconds.</summary>
public readonly record struct CheckinRow(int Person, int Venue, long CheckIn, long CheckOut);

/// <summary>Per-day facts of the check-in store.</summary>
public sealed record CheckinDayInfo(int Day, long Rows, int MaxDuration);
