using System.Globalization;
using System.Text;
using Fangkong.Cli.Demo;
using Fangkong.Jurisdictions;
using Fangkong.People;
using Fangkong.Time;

namespace Fangkong.Cli.Bench;

/// <summary>
/// The batch contract's benchmark set (tracing issue, second step), the kind of files a provincial team
/// gets from a city's venue-code system: by default 200,000 people with every SPEC 4.1 column (resident
/// ID numbers valid by GB 11643, names, phones, county codes, addresses) in households of Ningxia's
/// 2.65 people on average; 4,000 venues with Zipf-like popularity (weight 1/rank^0.5); 14 days of 1–3
/// check-ins a person a day (about 5.6 M); household exposures (every pair of a household, over the
/// 14 days) and workplace exposures (teams of 6–12, a few pairs each working day); 60 confirmed cases
/// with onsets in the last five days. Deterministic for a seed; the files are written once per shape.
/// </summary>
internal sealed class ContractDataset(int people, int venues, int days, int cases, int seed)
{
    public static readonly DateOnly LastDay = new(2021, 10, 22);

    /// <summary>The trace's --as-of: noon of the last day.</summary>
    public const string AsOf = "2021-10-22T12:00:00+08:00";

    public DateOnly FirstDay => LastDay.AddDays(1 - days);

    public int People => people;

    public static string File(string dir, string kind) => Path.Combine(dir, kind + ".csv");

    public static readonly string[] Kinds = ["persons", "venues", "checkins", "exposures", "cases"];

    /// <summary>Rows written per file, read back from the marker when the set exists already.</summary>
    public Dictionary<string, long> Write(string dir)
    {
        Directory.CreateDirectory(dir);
        var marker = Path.Combine(dir, "contract-dataset.txt");
        var shape = string.Create(CultureInfo.InvariantCulture, $"people={people} venues={venues} days={days} cases={cases} seed={seed} v=1");
        if (System.IO.File.Exists(marker) && System.IO.File.ReadAllLines(marker) is [var s, .. var counts] && s == shape)
        {
            return counts.Select(l => l.Split('=')).ToDictionary(p => p[0], p => long.Parse(p[1], CultureInfo.InvariantCulture), StringComparer.Ordinal);
        }
        var rng = new Random(seed);
        var rows = new Dictionary<string, long>(StringComparer.Ordinal);
        var households = WritePersons(File(dir, "persons"), rng, out var persons);
        rows["persons"] = persons;
        rows["venues"] = WriteVenues(File(dir, "venues"), rng);
        rows["checkins"] = WriteCheckins(File(dir, "checkins"), rng);
        rows["exposures"] = WriteExposures(File(dir, "exposures"), rng, households);
        rows["cases"] = WriteCases(File(dir, "cases"), rng);
        System.IO.File.WriteAllLines(marker, [shape, .. rows.Select(kv => $"{kv.Key}={kv.Value.ToString(CultureInfo.InvariantCulture)}")]);
        return rows;
    }

    private static StreamWriter Open(string path) => new(path, false, new UTF8Encoding(false), 1 << 20) { NewLine = "\n" };

    private static string Key(int person) => $"P{person:0000000}";

    private List<(int First, int Size)> WritePersons(string path, Random rng, out long written)
    {
        var counties = NingxiaReference.Counties.ToList();
        var weights = counties.Select(c => (double)(c.Population ?? 1)).ToArray();
        var total = weights.Sum();
        var surnameTotal = DemoNames.Surnames.Sum(s => s.Weight);
        var sequence = new Dictionary<(int County, DateOnly Birth), int>();
        var households = new List<(int, int)>();
        using var w = Open(path);
        w.Write("person_id,id_type,id_number,name,sex,birth_date,phone,community_code,address\n");
        var p = 0;
        while (p < people)
        {
            var size = Math.Min(people - p, rng.NextDouble() switch { < 0.20 => 1, < 0.50 => 2, < 0.75 => 3, < 0.92 => 4, _ => 5 });
            var r = rng.NextDouble() * total;
            var k = 0;
            while (k < counties.Count - 1 && (r -= weights[k]) >= 0)
            {
                k++;
            }
            var county = counties[k].Code.Value;
            var surname = Pick(rng, surnameTotal);
            var address = $"{DemoNames.Communities[rng.Next(DemoNames.Communities.Length)][..2]}小区{rng.Next(1, 40)}号楼{rng.Next(1, 7)}单元{rng.Next(1, 30)}{rng.Next(1, 5):00}室";
            households.Add((p, size));
            for (var m = 0; m < size; m++, p++)
            {
                var adult = m < 2 || rng.NextDouble() < 0.3;
                var birth = LastDay.AddDays(-(adult ? rng.Next(18 * 365, 85 * 365) : rng.Next(365, 18 * 365)));
                var male = m == 0 || (m > 1 && rng.Next(2) == 0);
                var countyNumber = int.Parse(county, CultureInfo.InvariantCulture);
                sequence.TryGetValue((countyNumber, birth), out var seq);
                sequence[(countyNumber, birth)] = seq + 1;
                var body = $"{county}{birth:yyyyMMdd}{(seq * 2 + (male ? 1 : 0)) % 1000:000}";
                var given = DemoNames.GivenChars[rng.Next(DemoNames.GivenChars.Length)] + (rng.NextDouble() < 0.7 ? DemoNames.GivenChars[rng.Next(DemoNames.GivenChars.Length)] : "");
                var name = (m == 1 ? Pick(rng, surnameTotal) : surname) + given;
                var phone = adult ? $"1{"3456789"[rng.Next(7)]}{rng.NextInt64(0, 1_000_000_000):000000000}" : "";
                w.Write($"{Key(p)},resident_id,{body}{ResidentId.ComputeCheckCharacter(body)},{name},{(male ? 'M' : 'F')},{birth:yyyy-MM-dd},{phone},{county},{address}\n");
            }
        }
        written = p;
        return households;
    }

    private static string Pick(Random rng, int total)
    {
        var r = rng.Next(total);
        foreach (var (name, weight) in DemoNames.Surnames)
        {
            if ((r -= weight) < 0)
            {
                return name;
            }
        }
        return "王";
    }

    private long WriteVenues(string path, Random rng)
    {
        var counties = NingxiaReference.Counties.Select(c => c.Code.Value).ToArray();
        string[] types = ["restaurant", "supermarket", "market", "office", "school", "gym", "cinema", "ktv", "hotel", "mall"];
        using var w = Open(path);
        w.Write("venue_id,name,type,community_code,capacity,enclosed\n");
        for (var v = 0; v < venues; v++)
        {
            var type = types[v % types.Length];
            w.Write($"V{v:000000},{type}{v},{type},{counties[rng.Next(counties.Length)]},{rng.Next(1, 20) * 50},{(type is "market" or "school" ? "false" : "true")}\n");
        }
        return venues;
    }

    private long WriteCheckins(string path, Random rng)
    {
        var cumulative = new double[venues];
        var total = 0.0;
        for (var i = 0; i < venues; i++)
        {
            cumulative[i] = total += 1 / Math.Sqrt(i + 1);
        }
        long rows = 0;
        using var w = Open(path);
        w.Write("person_id,venue_id,check_in,check_out\n");
        for (var d = 0; d < days; d++)
        {
            var date = FirstDay.AddDays(d);
            for (var p = 0; p < people; p++)
            {
                var visits = rng.Next(1, 4);
                var t = (7 * 60 + rng.Next(240)) * 60L;
                for (var k = 0; k < visits; k++)
                {
                    var i = Array.BinarySearch(cumulative, rng.NextDouble() * total);
                    var stay = rng.Next(5, 121) * 60L;
                    w.Write($"{Key(p)},V{(i < 0 ? ~i : i):000000},{Time(date, t)},{Time(date, t + stay)}\n");
                    rows++;
                    t += stay + rng.Next(10, 90) * 60L;
                }
            }
        }
        return rows;
    }

    private static string Time(DateOnly date, long seconds) =>
        string.Create(CultureInfo.InvariantCulture, $"{date:yyyy-MM-dd}T{seconds / 3600:00}:{seconds / 60 % 60:00}:{seconds % 60:00}+08:00");

    private long WriteExposures(string path, Random rng, List<(int First, int Size)> households)
    {
        long rows = 0;
        using var w = Open(path);
        w.Write("person_id,other_person_id,setting,start,end\n");
        var from = $"{FirstDay:yyyy-MM-dd}T00:00:00+08:00";
        var to = $"{LastDay:yyyy-MM-dd}T23:59:00+08:00";
        foreach (var (first, size) in households)
        {
            for (var a = first; a < first + size; a++)
            {
                for (var b = a + 1; b < first + size; b++)
                {
                    w.Write($"{Key(a)},{Key(b)},household,{from},{to}\n");
                    rows++;
                }
            }
        }
        // Workplace teams of 6–12 among a tenth of the people; each working day a third of a team's members
        // spend a morning or an afternoon with one colleague.
        var order = Enumerable.Range(0, people).ToArray();
        rng.Shuffle(order);
        var working = order.Take(people / 10).ToArray();
        for (var at = 0; at < working.Length;)
        {
            var team = working.AsSpan(at, Math.Min(working.Length - at, rng.Next(6, 13)));
            at += team.Length;
            if (team.Length < 2)
            {
                continue;
            }
            for (var d = 0; d < days; d++)
            {
                var date = FirstDay.AddDays(d);
                if (date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
                {
                    continue;
                }
                for (var m = 0; m < (team.Length + 2) / 3; m++)
                {
                    var a = team[rng.Next(team.Length)];
                    var b = team[rng.Next(team.Length)];
                    if (a == b)
                    {
                        continue;
                    }
                    var start = rng.Next(2) == 0 ? 9 * 3600L : 14 * 3600L;
                    w.Write($"{Key(a)},{Key(b)},workplace,{Time(date, start)},{Time(date, start + rng.Next(60, 211) * 60L)}\n");
                    rows++;
                }
            }
        }
        return rows;
    }

    private long WriteCases(string path, Random rng)
    {
        using var w = Open(path);
        w.Write("person_id,classification,onset_date,sampling_time,report_time,isolation_time\n");
        var chosen = new HashSet<int>();
        while (chosen.Count < Math.Min(cases, people))
        {
            chosen.Add(rng.Next(people));
        }
        foreach (var p in chosen.Order())
        {
            // Onset 1–5 days before the last day; sampled that day, reported the next morning, isolated on the report.
            var onset = LastDay.AddDays(-rng.Next(1, 6));
            var report = onset.AddDays(1);
            var hour = 8 + rng.Next(3);
            w.Write($"{Key(p)},confirmed,{onset:yyyy-MM-dd},{Time(onset, (15 + rng.Next(4)) * 3600L)},{Time(report, hour * 3600L)},{Time(report, hour * 3600L + 1800)}\n");
        }
        return chosen.Count;
    }
}
