using Fangkong.Time;

namespace Fangkong.Storage.Checkins;

/// <summary>Groups rows into days and merges them with a stored day, sorted and without duplicates.</summary>
internal static class CheckinSorting
{
    public static Dictionary<int, List<CheckinRow>> ByDay(IReadOnlyList<CheckinRow> rows, DeploymentCalendar calendar)
    {
        var byDay = new Dictionary<int, List<CheckinRow>>();
        // Local midnight moves by at most one per day, so cache the day of the last row's date.
        long cachedStart = long.MinValue, cachedEnd = long.MinValue;
        var cachedDay = 0;
        foreach (var r in rows)
        {
            if (r.CheckIn < cachedStart || r.CheckIn >= cachedEnd)
            {
                var date = calendar.LocalDate(r.CheckIn);
                cachedDay = DeploymentCalendar.DayNumber(date);
                cachedStart = calendar.StartOfDay(date);
                cachedEnd = calendar.StartOfDay(date.AddDays(1));
            }
            if (!byDay.TryGetValue(cachedDay, out var list))
            {
                byDay[cachedDay] = list = [];
            }
            list.Add(r);
        }
        return byDay;
    }

    /// <summary>Sorts incoming rows, merges them into the stored day, drops duplicates.</summary>
    public static (CheckinDay Merged, long Added) Merge(CheckinDay existing, List<CheckinRow> incoming)
    {
        var dayStart = existing.DayStart;
        var fresh = new (int Venue, int Start, int Person, int Duration)[incoming.Count];
        for (var i = 0; i < fresh.Length; i++)
        {
            var r = incoming[i];
            fresh[i] = (r.Venue, checked((int)(r.CheckIn - dayStart)), r.Person, checked((int)(r.CheckOut - r.CheckIn)));
        }
        Array.Sort(fresh);
        var n = existing.Count;
        var venue = new List<int>(n + fresh.Length);
        var person = new List<int>(n + fresh.Length);
        var start = new List<int>(n + fresh.Length);
        var duration = new List<int>(n + fresh.Length);
        (int, int, int, int)? last = null;
        long added = 0;
        int a = 0, b = 0;
        while (a < n || b < fresh.Length)
        {
            (int V, int S, int P, int D) next;
            bool fromFresh;
            if (b >= fresh.Length || (a < n && (existing.Venue[a], existing.Start[a], existing.Person[a], existing.Duration[a]).CompareTo(fresh[b]) <= 0))
            {
                next = (existing.Venue[a], existing.Start[a], existing.Person[a], existing.Duration[a]);
                a++;
                fromFresh = false;
            }
            else
            {
                next = fresh[b++];
                fromFresh = true;
            }
            if (last == next)
            {
                continue;
            }
            last = next;
            if (fromFresh)
            {
                added++;
            }
            venue.Add(next.V);
            start.Add(next.S);
            person.Add(next.P);
            duration.Add(next.D);
        }
        return (new CheckinDay(existing.Day, dayStart, [.. venue], [.. person], [.. start], [.. duration]), added);
    }
}
