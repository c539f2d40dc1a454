using Fangkong.Jurisdictions;
using Fangkong.Staff;
using Fangkong.Storage;
using Fangkong.Storage.Sites;
using Fangkong.Storage.Staff;

namespace Fangkong.Cli.Demo;

/// <summary>
/// The demo's responders: staff in every division (a commander and an auditor for the region, a
/// commander per city, investigators, control and testing officers per county, a community worker
/// (网格员) per community) and quarantine sites with single, household and reserve rooms in every
/// city, sized to its demo population. Deterministic for a seed.
/// </summary>
internal static class DemoResponders
{
    /// <summary>Rooms per 1,000 demo residents of a city: enough for a large outbreak's close contacts, not for every secondary contact.</summary>
    private const int RoomsPerThousand = 60;

    public static async Task<(int Staff, int Sites, int Rooms)> AddAsync(Database db, DemoData data, int seed, CancellationToken ct)
    {
        var rng = new Random(seed + 17);
        string Name() => DemoNames.Surnames[rng.Next(12)].Name + DemoNames.GivenChars[rng.Next(DemoNames.GivenChars.Length)] + DemoNames.GivenChars[rng.Next(DemoNames.GivenChars.Length)];
        var staff = new List<(string Key, string Name, StaffRole Role, JurisdictionCode Jurisdiction, string? Phone)>();
        void Add(string key, StaffRole role, JurisdictionCode j) => staff.Add((key, Name(), role, j, $"139{rng.Next(10_000_000, 99_999_999)}"));
        var region = JurisdictionCode.Parse(NingxiaReference.RegionCode);
        Add("S-640000-commander", StaffRole.Commander, region);
        Add("S-640000-auditor", StaffRole.Auditor, region);
        foreach (var city in NingxiaReference.All.Where(j => j.Level == JurisdictionLevel.City))
        {
            Add($"S-{city.Code}-commander", StaffRole.Commander, city.Code);
        }
        foreach (var county in NingxiaReference.Counties)
        {
            Add($"S-{county.Code}-investigator", StaffRole.Investigator, county.Code);
            Add($"S-{county.Code}-control", StaffRole.ControlOfficer, county.Code);
            Add($"S-{county.Code}-testing", StaffRole.TestingOfficer, county.Code);
        }
        foreach (var community in data.Divisions.Where(d => d.Level == JurisdictionLevel.Community))
        {
            Add($"S-{community.Code}", StaffRole.CommunityWorker, community.Code);
        }
        await using (var s = await StoreSession.BeginAsync(db, ct))
        {
            await StaffRepository.AddAsync(s, staff, ct);
            await s.CommitAsync(ct);
        }

        var residents = data.People.Where(p => p.Person.CommunityCode is not null)
            .GroupBy(p => p.Person.CommunityCode![..4], StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        int sites = 0, rooms = 0;
        foreach (var city in NingxiaReference.All.Where(j => j.Level == JurisdictionLevel.City))
        {
            var total = Math.Max(20, residents.GetValueOrDefault(city.Code.Value[..4]) * RoomsPerThousand / 1000);
            var counties = NingxiaReference.Counties.Where(c => city.Code.Contains(c.Code)).ToList();
            // Two sites per city, in its first two counties (the city's districts).
            for (var i = 0; i < Math.Min(2, counties.Count); i++)
            {
                var n = total / 2;
                var household = n / 6;
                var reserve = n / 10;
                var single = n - household - reserve;
                var specs = Enumerable.Range(1, single).Select(k => new RoomSpec($"A{k:0000}", false, 1, false))
                    .Concat(Enumerable.Range(1, household).Select(k => new RoomSpec($"B{k:0000}", true, 4, false)))
                    .Concat(Enumerable.Range(1, reserve).Select(k => new RoomSpec($"R{k:0000}", false, 1, true))).ToList();
                var key = $"Q-{counties[i].Code}";
                await SiteRepository.AddSiteAsync(db, key, $"{counties[i].Name}集中隔离点{i + 1}号（{(i == 0 ? "宾馆" : "培训中心")}）", counties[i].Code, $"{counties[i].Name}示例路{rng.Next(1, 200)}号", specs, ct);
                await SiteRepository.AddStaffAsync(db, key, $"S-{counties[i].Code}-control", "负责人", ct);
                sites++;
                rooms += specs.Count;
            }
        }
        return (staff.Count, sites, rooms);
    }
}
