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
}

/// <summary>
/// Builds a synthetic Ningxia, the same for the same options: people spread over the 22 counties in
/// proportion to their 2020 populations, in households in synthetic townships and communities,
/// venues with Zipf-like popularity, 14 days of check-ins, household and workplace exposures.
/// The outbreak is added by <see cref="DemoOutbreak"/>.
/// </summary>
internal sealed class SyntheticNingxia(DemoOptions options, DeploymentCalendar calendar)
{
    private readonly Random _rng = new(options.Seed);
    private readonly DemoData _data = new();
    private readonly Dictionary<string, List<string>> _communitiesByCounty = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int[] Ids, double[] Cumulative)> _venuesByCounty = new(StringComparer.Ordinal);
    private readonly List<(int Person, string County, bool Adult)> _residents = [];
    private readonly List<int[]> _households = [];
    private int _workplaceTeams;

    public DemoData Build()
    {
        MakeDivisions();
        MakePeople();
        MakeVenues();
        MakeCheckins();
        MakeExposures();
        new DemoOutbreak(options, calendar, _rng, _data, _households).Add();
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
                    _residents.Add((id, county, adult));
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
        foreach (var (county, ids) in byCounty)
        {
            // Zipf-like popularity: the r-th venue of a county is visited in proportion to 1 / r^0.9.
            var shuffled = ids.OrderBy(_ => _rng.Next()).ToArray();
            var cumulative = new double[shuffled.Length];
            var total = 0.0;
            for (var i = 0; i < shuffled.Length; i++)
            {
                cumulative[i] = total += 1 / Math.Pow(i + 1, 0.9);
            }
            _venuesByCounty[county] = (shuffled, cumulative);
        }
    }

    private int PickVenue(string county)
    {
        var (ids, cumulative) = _venuesByCounty[county];
        var i = Array.BinarySearch(cumulative, _rng.NextDouble() * cumulative[^1]);
        return ids[i < 0 ? ~i : i];
    }

    private void MakeCheckins()
    {
        var countyCodes = _venuesByCounty.Keys.Order(StringComparer.Ordinal).ToArray();
        var firstDay = options.LastDay.AddDays(1 - options.Days);
        for (var d = 0; d < options.Days; d++)
        {
            var midnight = calendar.StartOfDay(firstDay.AddDays(d));
            foreach (var (person, county, adult) in _residents)
            {
                var visits = adult ? _rng.Next(2, 5) : _rng.Next(1, 3);
                var t = midnight + (7 * 60 + _rng.Next(180)) * 60L;
                for (var v = 0; v < visits; v++)
                {
                    var where = _rng.NextDouble() < 0.92 ? county : countyCodes[_rng.Next(countyCodes.Length)];
                    var stay = _rng.Next(5, 121) * 60L;
                    if (t + stay > midnight + 23 * 3600)
                    {
                        break;
                    }
                    _data.Checkins.Add(new CheckinRow(person, PickVenue(where), t, t + stay));
                    t += stay + _rng.Next(15, 181) * 60L;
                }
            }
        }
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
        // Workplace teams of 3–8 adults of one county, together 09:00–17:00 on working days.
        foreach (var group in _residents.Where(r => r.Adult && _rng.NextDouble() < 0.3).GroupBy(r => r.County))
        {
            var workers = group.Select(r => r.Person).ToList();
            for (var i = 0; i < workers.Count;)
            {
                var size = Math.Min(_rng.Next(3, 9), workers.Count - i);
                var team = workers.GetRange(i, size);
                i += size;
                _workplaceTeams++;
                for (var d = 0; d < options.Days; d++)
                {
                    var day = firstDay.AddDays(d);
                    if (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
                    {
                        continue;
                    }
                    var nine = calendar.StartOfDay(day) + 9 * 3600;
                    for (var a = 0; a < team.Count; a++)
                    {
                        for (var b = a + 1; b < team.Count; b++)
                        {
                            _data.Exposures.Add(new StoredExposure(team[a], team[b], ExposureSetting.Workplace, nine, nine + 8 * 3600));
                        }
                    }
                }
            }
        }
    }
}
