using Fangkong.Cases;
using Fangkong.Exposures;
using Fangkong.Jurisdictions;
using Fangkong.People;
using Fangkong.Storage.Cases;
using Fangkong.Storage.Checkins;
using Fangkong.Storage.Exposures;
using Fangkong.Storage.People;
using Fangkong.Storage.Venues;
using Fangkong.Time;
using Fangkong.Venues;

namespace Fangkong.Cli.Demo;

/// <param name="LastDay">The demo's "today": the last day of check-ins (default 2021-10-22, the seed report's date).</param>
internal sealed record DemoOptions(int Seed, int People, int Venues, int Days, DateOnly LastDay);

/// <summary>Everything the demo writes to the store.</summary>
internal sealed class DemoData
{
    public List<Jurisdiction> Divisions { get; } = [];
    public List<StoredPerson> People { get; } = [];
    public List<StoredVenue> Venues { get; } = [];
    public List<CheckinRow> Checkins { get; } = [];
    public List<StoredExposure> Exposures { get; } = [];
    public List<StoredCase> Cases { get; } = [];
    public int Households { get; set; }

    public int Teams { get; set; }

    /// <summary>Drops the check-ins and exposures once stored (millions of rows at a province's scale).</summary>
    public void ReleaseStored()
    {
        Checkins.Clear();
        Checkins.TrimExcess();
        Exposures.Clear();
        Exposures.TrimExcess();
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }
}

/// <summary>
/// Builds a synthetic Ningxia, the same for the same options: people spread over the 22 counties in
/// proportion to their 2020 populations, in households in synthetic townships and communities; most
/// working-age adults in workplace teams (an office room, a workshop floor); venues of each kind in
/// proportion to the people (about 3 per 100), visited in proportion to their size; 14 days of venue
/// check-ins at a plausible pace (most people check in somewhere once a day or less, a few often;
/// shops take minutes, meals and films an hour or two); household and workplace exposures.
/// Close contacts then come mostly from households and workplaces, as they did in 2021, and a
/// close contact's own contacts are mostly their household's.
/// The outbreak is added by <see cref="DemoOutbreak"/>.
/// </summary>
internal sealed class SyntheticNingxia(DemoOptions options, DeploymentCalendar calendar)
{
    private readonly Random _rng = new(options.Seed);
    private readonly DemoData _data = new();
    private readonly Dictionary<string, List<string>> _communitiesByCounty = new(StringComparer.Ordinal);
    private readonly Dictionary<(string County, string Type), (int[] Ids, double[] Cumulative)> _venuesByKind = [];
    private readonly List<(int Person, string County, bool Adult, bool Working)> _residents = [];
    private readonly List<int[]> _households = [];
    private readonly List<int[]> _teams = [];

    public DemoData Build()
    {
        MakeDivisions();
        MakePeople();
        MakeVenues();
        MakeCheckins();
        MakeExposures();
        new DemoOutbreak(options, calendar, _rng, _data, _households, _teams).Add();
        return _data;
    }

    private static IEnumerable<Jurisdiction> Counties => NingxiaReference.Counties;

    private void MakeDivisions()
    {
        foreach (var county in Counties)
        {
            var list = new List<string>();
            for (var t = 1; t <= 3; t++)
            {
                var township = JurisdictionCode.Parse($"{county.Code}{t:000}");
                _data.Divisions.Add(new Jurisdiction(township, county.Name + DemoNames.Townships[(t * 3 + county.Code.Value[5]) % DemoNames.Townships.Length], county.Code, null));
                for (var c = 1; c <= 4; c++)
                {
                    var community = JurisdictionCode.Parse($"{township}{c:000}");
                    _data.Divisions.Add(new Jurisdiction(community, DemoNames.Communities[(t * 4 + c) % DemoNames.Communities.Length], township, null));
                    list.Add(community.Value);
                }
            }
            _communitiesByCounty[county.Code.Value] = list;
        }
    }

    private static int[] Apportion(IReadOnlyList<long> weights, int total)
    {
        var sum = (double)weights.Sum();
        var exact = weights.Select(w => w / sum * total).ToArray();
        var counts = exact.Select(e => (int)Math.Floor(e)).ToArray();
        foreach (var i in exact.Select((e, i) => (Fraction: e - Math.Floor(e), i)).OrderByDescending(x => x.Fraction).ThenBy(x => x.i).Take(total - counts.Sum()).Select(x => x.i))
        {
            counts[i]++;
        }
        return counts;
    }

    private void MakePeople()
    {
        var counties = Counties.ToList();
        var counts = Apportion(counties.Select(c => c.Population ?? 0).ToList(), options.People);
        var surnameTotal = DemoNames.Surnames.Sum(s => s.Weight);
        var id = 1;
        var sequence = new Dictionary<(string, DateOnly), int>();
        for (var k = 0; k < counties.Count; k++)
        {
            var county = counties[k].Code.Value;
            var left = counts[k];
            while (left > 0)
            {
                var size = Math.Min(left, HouseholdSize());
                var community = _communitiesByCounty[county][_rng.Next(_communitiesByCounty[county].Count)];
                var address = $"{DemoNames.Communities[_rng.Next(DemoNames.Communities.Length)][..2]}小区{_rng.Next(1, 40)}号楼{_rng.Next(1, 7)}单元{_rng.Next(1, 30)}{_rng.Next(1, 5):00}室";
                var surname = Pick(surnameTotal);
                var members = new int[size];
                for (var m = 0; m < size; m++)
                {
                    var adult = m < 2 || _rng.NextDouble() < 0.3;
                    var birth = options.LastDay.AddDays(-(adult ? _rng.Next(18 * 365, 85 * 365) : _rng.Next(365, 18 * 365)));
                    var sex = m == 0 ? Sex.Male : m == 1 ? Sex.Female : _rng.Next(2) == 0 ? Sex.Male : Sex.Female;
                    sequence.TryGetValue((county, birth), out var seq);
                    sequence[(county, birth)] = seq + 1;
                    // The sequence's last digit is odd for men (GB 11643-1999).
                    var orderCode = (seq * 2 + (sex == Sex.Male ? 1 : 0)) % 1000;
                    var body = $"{county}{birth:yyyyMMdd}{orderCode:000}";
                    var residentId = body + ResidentId.ComputeCheckCharacter(body);
                    var name = (m == 1 ? Pick(surnameTotal) : surname) + Given();
                    string? phone = adult ? $"1{"3456789"[_rng.Next(7)]}{_rng.NextInt64(0, 1_000_000_000):000000000}" : null;
                    var person = new Person($"P{id:0000000}", IdType.ResidentId, residentId, name, sex, birth, phone, community, address);
                    _data.People.Add(new StoredPerson(id, person, null));
                    var age = options.LastDay.Year - birth.Year;
                    _residents.Add((id, county, adult, adult && age is >= 18 and < 60));
                    members[m] = id++;
                }
                _households.Add(members);
                left -= size;
            }
        }
        _data.Households = _households.Count;
    }

    // Mean about 2.65, Ningxia's 2020 household size.
    private int HouseholdSize() => _rng.NextDouble() switch
    {
        < 0.20 => 1,
        < 0.50 => 2,
        < 0.75 => 3,
        < 0.92 => 4,
        _ => 5,
    };

    private string Pick(int total)
    {
        var r = _rng.Next(total);
        foreach (var (name, weight) in DemoNames.Surnames)
        {
            if ((r -= weight) < 0)
            {
                return name;
            }
        }
        return "王";
    }

    private string Given() =>
        DemoNames.GivenChars[_rng.Next(DemoNames.GivenChars.Length)] + (_rng.NextDouble() < 0.7 ? DemoNames.GivenChars[_rng.Next(DemoNames.GivenChars.Length)] : "");

    private void MakeVenues()
    {
        var counties = Counties.ToList();
        var counts = Apportion(counties.Select(c => c.Population ?? 0).ToList(), options.Venues - DemoNames.TransportSites.Length);
        var kindTotal = DemoNames.VenueKinds.Sum(k => k.Weight);
        var id = 1;
        var byCounty = counties.ToDictionary(c => c.Code.Value, _ => new List<int>(), StringComparer.Ordinal);
        foreach (var (name, type, county) in DemoNames.TransportSites)
        {
            _data.Venues.Add(new StoredVenue(id, new Venue($"V{id:000000}", name, type, county, 5000, true)));
            byCounty[county].Add(id++);
        }
        for (var k = 0; k < counties.Count; k++)
        {
            var county = counties[k];
            var shortName = county.Name.Length > 2 ? county.Name[..2] : county.Name;
            for (var n = 0; n < counts[k]; n++)
            {
                var r = _rng.Next(kindTotal);
                var kind = DemoNames.VenueKinds.First(x => (r -= x.Weight) < 0);
                var name = $"{shortName}{kind.Prefixes[_rng.Next(kind.Prefixes.Length)]}{kind.Suffixes[_rng.Next(kind.Suffixes.Length)]}";
                var community = _communitiesByCounty[county.Code.Value][_rng.Next(12)];
                var capacity = kind.Type switch { "restaurant" or "ktv" or "internet_cafe" => 40, "cinema" or "theatre" or "mall" => 800, "school" => 1200, "hospital" => 600, _ => 150 } * _rng.Next(1, 4);
                _data.Venues.Add(new StoredVenue(id, new Venue($"V{id:000000}", name, kind.Type, community, capacity, VenueTypes.EnclosedByDefault.Contains(kind.Type) || kind.Type is "restaurant" or "supermarket" or "mall")));
                byCounty[county.Code.Value].Add(id++);
            }
        }
        // Within a county and a kind, a venue draws visitors in proportion to its size, give or take a half.
        foreach (var group in _data.Venues.GroupBy(v => (County: CountyOf(v.Venue.CommunityCode!), v.Venue.Type)))
        {
            var ids = group.Select(v => v.Id).ToArray();
            var cumulative = new double[ids.Length];
            var total = 0.0;
            var k = 0;
            foreach (var v in group)
            {
                cumulative[k++] = total += (v.Venue.Capacity ?? 100) * (0.5 + _rng.NextDouble());
            }
            _venuesByKind[(group.Key.County, group.Key.Type)] = (ids, cumulative);
        }
    }

    private static string CountyOf(string community) => community[..6];

    /// <summary>What people check in for, how often (weight) and for how long (minutes): most visits are short errands.</summary>
    private static readonly (string Type, int Weight, int MinMinutes, int MaxMinutes)[] Visits =
    [
        ("supermarket", 26, 5, 30), ("market", 12, 5, 35), ("restaurant", 22, 20, 80), ("mall", 7, 20, 120), ("hospital", 4, 15, 90),
        ("office", 4, 10, 60), ("hotel", 2, 20, 120), ("gym", 3, 40, 90), ("cinema", 2, 100, 140), ("theatre", 1, 90, 140),
        ("ktv", 2, 90, 180), ("game_hall", 2, 20, 90), ("internet_cafe", 3, 30, 180), ("bath", 2, 40, 120), ("station", 2, 15, 60), ("airport", 1, 30, 90),
    ];

    private static readonly int VisitWeights = Visits.Sum(v => v.Weight);

    /// <summary>A venue of a kind to visit, mostly in the person's own county; none when the county has none of that kind.</summary>
    private int? PickVenue(string county, string type)
    {
        if (!_venuesByKind.TryGetValue((county, type), out var kind))
        {
            return null;
        }
        var (ids, cumulative) = kind;
        var i = Array.BinarySearch(cumulative, _rng.NextDouble() * cumulative[^1]);
        return ids[i < 0 ? Math.Min(~i, ids.Length - 1) : i];
    }

    /// <summary>
    /// Check-ins a day (a venue code scanned at a public place): a Poisson number, two or three a week for
    /// most adults (a fifth twice as many, two in five half as many), one in ten days for a child; each visit of a kind by its weight
    /// and for a time in its range, starting between 08:00 and 20:00, one after another.
    /// </summary>
    private void MakeCheckins()
    {
        var countyCodes = Counties.Select(c => c.Code.Value).ToArray();
        var cityCounties = countyCodes.GroupBy(c => c[..4]).ToDictionary(g => g.Key, g => g.ToArray());
        var firstDay = options.LastDay.AddDays(1 - options.Days);
        var pace = _residents.Select(r => !r.Adult ? 0.1 : _rng.NextDouble() switch { < 0.4 => 0.15, < 0.8 => 0.3, _ => 0.6 }).ToArray();
        for (var d = 0; d < options.Days; d++)
        {
            var midnight = calendar.StartOfDay(firstDay.AddDays(d));
            for (var r = 0; r < _residents.Count; r++)
            {
                var (person, county, _, _) = _residents[r];
                var visits = Poisson(pace[r]);
                var t = midnight + (8 * 60 + _rng.Next(12 * 60)) * 60L;
                for (var v = 0; v < visits; v++)
                {
                    var (type, _, min, max) = VisitOfKind(_rng.Next(VisitWeights));
                    // Three visits in four in the person's own county, most others in their city (a city's districts are one
                    // town: Yinchuan's three), a few anywhere in the region.
                    var city = cityCounties[county[..4]];
                    var where = _rng.NextDouble() switch
                    {
                        < 0.75 => county,
                        < 0.92 => city[_rng.Next(city.Length)],
                        _ => countyCodes[_rng.Next(countyCodes.Length)],
                    };
                    var stay = _rng.Next(min, max + 1) * 60L;
                    if (t + stay > midnight + 23 * 3600)
                    {
                        break;
                    }
                    if (PickVenue(where, type) is { } venue)
                    {
                        _data.Checkins.Add(new CheckinRow(person, venue, t, t + stay));
                    }
                    t += stay + _rng.Next(10, 121) * 60L;
                }
            }
        }
    }

    private static (string Type, int Weight, int MinMinutes, int MaxMinutes) VisitOfKind(int r)
    {
        foreach (var v in Visits)
        {
            if ((r -= v.Weight) < 0)
            {
                return v;
            }
        }
        return Visits[0];
    }

    private int Poisson(double mean)
    {
        var limit = Math.Exp(-mean);
        var k = 0;
        for (var p = _rng.NextDouble(); p > limit; p *= _rng.NextDouble())
        {
            k++;
        }
        return Math.Min(k, 6);
    }

    private void MakeExposures()
    {
        var firstDay = options.LastDay.AddDays(1 - options.Days);
        var start = calendar.StartOfDay(firstDay);
        var end = calendar.StartOfDay(options.LastDay) + 8 * 3600;
        foreach (var household in _households)
        {
            for (var a = 0; a < household.Length; a++)
            {
                for (var b = a + 1; b < household.Length; b++)
                {
                    _data.Exposures.Add(new StoredExposure(household[a], household[b], ExposureSetting.Household, start, end));
                }
            }
        }
        // Workplace teams: seven in ten working-age adults work in a team of one city (an office room, a
        // workshop floor: 6 to 60 people, 18 in the middle), together on working days. One exposure a pair
        // over the period, from its first working morning to its last working evening.
        var workdays = Enumerable.Range(0, options.Days - 1).Select(firstDay.AddDays)
            .Where(day => day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)).ToList();
        var (from, to) = workdays.Count == 0 ? (start, end) : (calendar.StartOfDay(workdays[0]) + 9 * 3600, calendar.StartOfDay(workdays[^1]) + 17 * 3600);
        foreach (var group in _residents.Where(r => r.Working && _rng.NextDouble() < 0.7).GroupBy(r => r.County[..4]))
        {
            var workers = group.Select(r => r.Person).OrderBy(_ => _rng.Next()).ToList();
            for (var i = 0; i < workers.Count;)
            {
                var size = Math.Min(Math.Clamp((int)Math.Round(Math.Exp(Math.Log(18) + 0.45 * Gaussian())), 6, 60), workers.Count - i);
                var team = workers.GetRange(i, size).ToArray();
                i += size;
                _teams.Add(team);
                for (var a = 0; a < team.Length; a++)
                {
                    for (var b = a + 1; b < team.Length; b++)
                    {
                        _data.Exposures.Add(new StoredExposure(team[a], team[b], ExposureSetting.Workplace, from, to));
                    }
                }
            }
        }
        _data.Teams = _teams.Count;
    }

    private double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - _rng.NextDouble())) * Math.Cos(2 * Math.PI * _rng.NextDouble());
}
