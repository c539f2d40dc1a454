using System.Globalization;
using System.Text;
using Fangkong.Tests.Support;
using Fangkong.Time;

namespace Fangkong.Tests.Tracing;

/// <summary>
/// A small random data set aimed at the boundaries: stays of 14, 15 and 16 minutes and one second
/// short of 15, stays that straddle a window's start (local midnight) and end (isolation), people
/// shared by two cases, manual exposures, cases with onset or with sampling only.
/// </summary>
internal sealed class RandomOutbreak
{
    private static readonly DeploymentCalendar Calendar = DeploymentCalendar.Default;
    private static readonly DateOnly FirstDay = new(2021, 10, 12);

    public List<TracingOracle.Stay> Stays { get; } = [];
    public List<(string A, string B, long Start, long End)> Exposures { get; } = [];
    public List<(string Person, DateOnly? Onset, long? Sampling, long Report, long? Isolation)> Cases { get; } = [];
    public List<string> People { get; } = [];
    public long AsOf { get; }

    public RandomOutbreak(int seed)
    {
        var rng = new Random(seed);
        var people = rng.Next(6, 30);
        var venues = rng.Next(1, 5);
        for (var p = 1; p <= people; p++)
        {
            People.Add($"p{p:00}");
        }
        var day0 = Calendar.StartOfDay(FirstDay);
        long[] durations = [60, 14 * 60, 15 * 60 - 1, 15 * 60, 15 * 60 + 1, 16 * 60, 30 * 60, 90 * 60, 300 * 60];
        var count = rng.Next(10, 90);
        for (var i = 0; i < count; i++)
        {
            var person = People[rng.Next(people)];
            var venue = $"v{rng.Next(1, venues + 1)}";
            // Start on a 5-minute grid over 7 days, so stays meet and overlap often; some at midnight.
            var start = day0 + rng.Next(0, 7 * 288) * 300L + (rng.Next(4) == 0 ? -rng.Next(0, 2) : 0);
            Stays.Add(new TracingOracle.Stay(person, venue, start, start + durations[rng.Next(durations.Length)]));
        }
        for (var i = rng.Next(0, 6); i > 0; i--)
        {
            var a = People[rng.Next(people)];
            var b = People[rng.Next(people)];
            if (a == b)
            {
                continue;
            }
            var start = day0 + rng.Next(0, 7 * 24) * 3600L;
            Exposures.Add((a, b, start, start + rng.Next(0, 48) * 3600L));
        }
        var caseCount = rng.Next(1, 4);
        foreach (var person in People.OrderBy(_ => rng.Next()).Take(caseCount))
        {
            var onsetDay = FirstDay.AddDays(rng.Next(2, 6));
            var sampling = Calendar.StartOfDay(onsetDay) + rng.Next(8, 20) * 3600L;
            var report = sampling + rng.Next(2, 30) * 3600L;
            long? isolation = rng.Next(3) == 0 ? null : report + rng.Next(-20, 10) * 600L;
            var asymptomatic = rng.Next(3) == 0;
            Cases.Add((person, asymptomatic ? null : onsetDay, sampling, report, isolation));
        }
        AsOf = day0 + rng.Next(4 * 24, 8 * 24) * 3600L;

        // Dwell records in grid cells, drawn last so the venue data of a seed stays as it was: overlaps of
        // exactly 10 minutes, a second more or less, and stays across a window's edges; cases are among them.
        long[] dwell = [5 * 60, 10 * 60 - 1, 10 * 60, 10 * 60 + 1, 11 * 60, 20 * 60, 45 * 60, 180 * 60];
        var cells = rng.Next(1, 4);
        for (var i = rng.Next(10, 80); i > 0; i--)
        {
            var person = rng.Next(3) == 0 ? Cases[rng.Next(Cases.Count)].Person : People[rng.Next(people)];
            var start = day0 + rng.Next(0, 7 * 288) * 300L + (rng.Next(4) == 0 ? -rng.Next(0, 2) : 0);
            GridStays.Add(new TracingOracle.Stay(person, $"c{rng.Next(1, cells + 1)}", start, start + dwell[rng.Next(dwell.Length)]));
        }
    }

    /// <summary>Stays in grid cells (the venue is the cell).</summary>
    public List<TracingOracle.Stay> GridStays { get; } = [];

    public List<TracingOracle.CaseInput> Windows(int daysBefore) =>
        Cases.Select(c => new TracingOracle.CaseInput(c.Person,
            Calendar.StartOfDay((c.Onset ?? Calendar.LocalDate(c.Sampling!.Value)).AddDays(-daysBefore)),
            c.Isolation ?? c.Report)).ToList();

    private static string T(long t) => Calendar.Format(t);

    public async Task WriteAsync(TestStore store)
    {
        var persons = new StringBuilder("person_id,name\n");
        foreach (var p in People)
        {
            persons.Append(CultureInfo.InvariantCulture, $"{p},{p}\n");
        }
        await store.WriteAsync("persons.csv", persons.ToString());
        await store.WriteAsync("venues.csv", "venue_id,type\nv1,cinema\nv2,restaurant\nv3,supermarket\nv4,gym\n");
        await store.WriteAsync("checkins.csv", "person_id,venue_id,check_in,check_out\n" + string.Concat(Stays.Select(s => $"{s.Person},{s.Venue},{T(s.In)},{T(s.Out)}\n")));
        await store.WriteAsync("exposures.csv", "person_id,other_person_id,setting,start,end\n" + string.Concat(Exposures.Select(e => $"{e.A},{e.B},household,{T(e.Start)},{T(e.End)}\n")));
        await store.WriteAsync("gridstays.csv", "person_id,cell_id,start,end\n" + string.Concat(GridStays.Select(s => $"{s.Person},{s.Venue},{T(s.In)},{T(s.Out)}\n")));
        await store.WriteAsync("cases.csv", "person_id,classification,onset_date,sampling_time,report_time,isolation_time\n" + string.Concat(Cases.Select(c =>
            $"{c.Person},{(c.Onset is null ? "asymptomatic" : "confirmed")},{c.Onset?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)},{T(c.Sampling!.Value)},{T(c.Report)},{(c.Isolation is { } i ? T(i) : "")}\n")));
    }
}
