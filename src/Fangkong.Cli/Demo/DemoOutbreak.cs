using Fangkong.Cases;
using Fangkong.Storage.Cases;
using Fangkong.Storage.Checkins;
using Fangkong.Time;

namespace Fangkong.Cli.Demo;

/// <summary>
/// Seeds an outbreak in progress into the demo data: three index cases (兴庆区, 金凤区, 吴忠利通区) nine
/// and eight days before "today", then cases among the people who shared a venue with a case for at
/// least 15 minutes (20 % each), a household (45 %) or a workplace team (6 % each, on a working day),
/// while the case was infectious (from two days before onset to isolation), with onsets 2–4 days after
/// that exposure, until a few dozen cases are reported. About one in five is asymptomatic (no onset
/// date; found by sampling).
/// </summary>
internal sealed class DemoOutbreak(DemoOptions options, DeploymentCalendar calendar, Random rng, DemoData data, List<int[]> households, List<int[]> teams)
{
    private const int TargetCases = 36;
    private const long MinimumOverlap = 15 * 60;
    private const double VenueRisk = 0.2, HouseholdRisk = 0.45, WorkplaceRisk = 0.06;

    public void Add()
    {
        var asOf = calendar.StartOfDay(options.LastDay) + 12 * 3600;
        var byPerson = new Dictionary<int, List<int>>();
        var byVenue = new Dictionary<int, List<int>>();
        for (var i = 0; i < data.Checkins.Count; i++)
        {
            Add(byPerson, data.Checkins[i].Person, i);
            Add(byVenue, data.Checkins[i].Venue, i);
        }
        var household = new Dictionary<int, int[]>();
        foreach (var h in households)
        {
            foreach (var p in h)
            {
                household[p] = h;
            }
        }
        var team = new Dictionary<int, int[]>();
        foreach (var t in teams)
        {
            foreach (var p in t)
            {
                team[p] = t;
            }
        }
        var cases = new Dictionary<int, StoredCase>();
        var queue = new Queue<(int Person, DateOnly Onset)>();
        foreach (var (county, daysBefore) in new[] { ("640104", 9), ("640106", 8), ("640302", 8) })
        {
            // An adult who works in a team and goes out: the kind of person an outbreak is first noticed in.
            var index = data.People.FirstOrDefault(p => p.Person.CommunityCode!.StartsWith(county, StringComparison.Ordinal) && p.Person.BirthDate!.Value.Year is > 1965 and < 2000
                                                         && byPerson.ContainsKey(p.Id) && team.ContainsKey(p.Id))?.Id;
            if (index is { } first)
            {
                var onset = options.LastDay.AddDays(-daysBefore);
                cases[first] = MakeCase(first, onset, symptomatic: true);
                queue.Enqueue((first, onset));
            }
        }
        while (queue.Count > 0 && cases.Count < TargetCases)
        {
            var (person, onset) = queue.Dequeue();
            var windowStart = calendar.StartOfDay(onset.AddDays(-2));
            var windowEnd = cases[person].IsolationTime ?? asOf;
            var infected = 0;
            foreach (var mine in byPerson.GetValueOrDefault(person) ?? [])
            {
                var c = data.Checkins[mine];
                var from = Math.Max(c.CheckIn, windowStart);
                var to = Math.Min(c.CheckOut, windowEnd);
                if (to - from < MinimumOverlap)
                {
                    continue;
                }
                foreach (var other in byVenue[c.Venue])
                {
                    var o = data.Checkins[other];
                    var overlap = Math.Min(to, o.CheckOut) - Math.Max(from, o.CheckIn);
                    if (overlap < MinimumOverlap || cases.ContainsKey(o.Person) || rng.NextDouble() > VenueRisk || infected >= 3)
                    {
                        continue;
                    }
                    if (TryInfect(o.Person, calendar.LocalDate(Math.Max(from, o.CheckIn)), asOf, cases, queue))
                    {
                        infected++;
                    }
                }
            }
            foreach (var member in household.GetValueOrDefault(person) ?? [])
            {
                if (member != person && !cases.ContainsKey(member) && rng.NextDouble() < HouseholdRisk)
                {
                    TryInfect(member, onset.AddDays(-1), asOf, cases, queue);
                }
            }
            // Colleagues, on a working day while the case was infectious and before "today".
            var workdays = Enumerable.Range(0, Math.Max(0, calendar.LocalDate(windowEnd).DayNumber - onset.AddDays(-2).DayNumber + 1))
                .Select(onset.AddDays(-2).AddDays).Where(d => d < options.LastDay && d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)).ToList();
            foreach (var colleague in team.GetValueOrDefault(person) ?? [])
            {
                if (workdays.Count > 0 && colleague != person && !cases.ContainsKey(colleague) && rng.NextDouble() < WorkplaceRisk)
                {
                    TryInfect(colleague, workdays[rng.Next(workdays.Count)], asOf, cases, queue);
                }
            }
        }
        data.Cases.AddRange(cases.Values.OrderBy(c => c.ReportTime));
    }

    private bool TryInfect(int person, DateOnly exposed, long asOf, Dictionary<int, StoredCase> cases, Queue<(int, DateOnly)> queue)
    {
        var onset = exposed.AddDays(rng.Next(2, 5));
        var candidate = MakeCase(person, onset, symptomatic: rng.NextDouble() >= 0.2);
        if (candidate.ReportTime > asOf || cases.Count >= TargetCases)
        {
            return false;
        }
        cases[person] = candidate;
        queue.Enqueue((person, onset));
        return true;
    }

    private StoredCase MakeCase(int person, DateOnly onset, bool symptomatic)
    {
        var sampling = calendar.StartOfDay(onset) + (9 + rng.Next(0, 8)) * 3600L;
        var report = sampling + (10 + rng.Next(0, 10)) * 3600L;
        var isolation = report + rng.Next(1, 4) * 3600L;
        return symptomatic
            ? new StoredCase(person, CaseClassification.Confirmed, onset, sampling, report, isolation)
            : new StoredCase(person, CaseClassification.Asymptomatic, null, sampling, report, isolation);
    }

    private static void Add(Dictionary<int, List<int>> index, int key, int value)
    {
        if (!index.TryGetValue(key, out var list))
        {
            index[key] = list = [];
        }
        list.Add(value);
    }
}
