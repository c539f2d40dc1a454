using Fangkong.Cases;
using Fangkong.Storage.Cases;
using Fangkong.Storage.Checkins;
using Fangkong.Time;

namespace Fangkong.Cli.Demo;

/// <summary>
/// Seeds an outbreak in progress into the demo data: an index case in 兴庆区 a week before "today",
/// then cases among the people who shared a venue with a case for at least 15 minutes, or a
/// household, with onsets 2–4 days after that exposure, until a few dozen cases are reported.
/// About one in five is asymptomatic (no onset date; found by sampling).
/// </summary>
internal sealed class DemoOutbreak(DemoOptions options, DeploymentCalendar calendar, Random rng, DemoData data, List<int[]> households)
{
    private const int TargetCases = 36;
    private const long MinimumOverlap = 15 * 60;

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
        var cases = new Dictionary<int, StoredCase>();
        var queue = new Queue<(int Person, DateOnly Onset)>();
        var index = data.People.First(p => p.Person.CommunityCode!.StartsWith("640104", StringComparison.Ordinal) && p.Person.BirthDate!.Value.Year is > 1965 and < 2000 && byPerson.ContainsKey(p.Id)).Id;
        var indexOnset = options.LastDay.AddDays(-7);
        cases[index] = MakeCase(index, indexOnset, symptomatic: true);
        queue.Enqueue((index, indexOnset));
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
                    if (overlap < MinimumOverlap || cases.ContainsKey(o.Person) || rng.NextDouble() > 0.08 || infected >= 3)
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
                if (member != person && !cases.ContainsKey(member) && rng.NextDouble() < 0.5)
                {
                    TryInfect(member, onset.AddDays(-1), asOf, cases, queue);
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
