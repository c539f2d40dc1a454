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

    /// <summary>Sorts incoming rows, merges them into the stored day, drops duplicates; the rows that were not stored yet go to <paramref name="fresh"/>.</summary>
    public static (CheckinDay Merged, long Added) Merge(CheckinDay existing, List<CheckinRow> incoming, List<CheckinRow>? fresh = null)
    {
        var dayStart = existing.DayStart;
        // (venue, start) and (person, duration) packed in two 64-bit keys: a primitive sort on the first,
        // then the short runs of equal first keys sorted on the second.
        var n = incoming.Count;
        var primary = new ulong[n];
        var secondary = new ulong[n];
        for (var i = 0; i < n; i++)
        {
            var r = incoming[i];
            primary[i] = Pack(r.Venue, checked((int)(r.CheckIn - dayStart)));
            secondary[i] = Pack(r.Person, checked((int)(r.CheckOut - r.CheckIn)));
        }
        Array.Sort(primary, secondary);
        for (var lo = 0; lo < n;)
        {
            var hi = lo + 1;
            while (hi < n && primary[hi] == primary[lo])
            {
                hi++;
            }
            if (hi - lo > 1)
            {
                Array.Sort(secondary, lo, hi - lo);
            }
            lo = hi;
        }

        var m = existing.Count;
        var venue = new int[m + n];
        var person = new int[m + n];
        var start = new int[m + n];
        var duration = new int[m + n];
        int a = 0, b = 0, k = 0;
        long added = 0;
        while (a < m || b < n)
        {
            ulong p = 0, q = 0;
            var fromFresh = a >= m;
            if (!fromFresh)
            {
                p = Pack(existing.Venue[a], existing.Start[a]);
                q = Pack(existing.Person[a], existing.Duration[a]);
                if (b < n && (primary[b], secondary[b]).CompareTo((p, q)) < 0)
                {
                    fromFresh = true;
                }
            }
            if (fromFresh)
            {
                (p, q) = (primary[b], secondary[b]);
                b++;
            }
            else
            {
                a++;
            }
            if (k > 0 && Pack(venue[k - 1], start[k - 1]) == p && Pack(person[k - 1], duration[k - 1]) == q)
            {
                continue;
            }
            (venue[k], start[k]) = Unpack(p);
            (person[k], duration[k]) = Unpack(q);
            k++;
            if (fromFresh)
            {
                added++;
                fresh?.Add(new CheckinRow(person[k - 1], venue[k - 1], dayStart + start[k - 1], dayStart + start[k - 1] + duration[k - 1]));
            }
        }
        if (k < m + n)
        {
            Array.Resize(ref venue, k);
            Array.Resize(ref person, k);
            Array.Resize(ref start, k);
            Array.Resize(ref duration, k);
        }
        return (new CheckinDay(existing.Day, dayStart, venue, person, start, duration), added);
    }

    // Non-negative ids and offsets: the packed order is the order of (high, low).
    private static ulong Pack(int high, int low) => ((ulong)(uint)high << 32) | (uint)low;

    private static (int High, int Low) Unpack(ulong key) => ((int)(key >> 32), (int)(uint)key);
}
