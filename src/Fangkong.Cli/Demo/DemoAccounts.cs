using System.Security.Cryptography;
using Fangkong.Jurisdictions;
using Fangkong.Staff;
using Fangkong.Storage;
using Fangkong.Storage.Accounts;
using Fangkong.Storage.Staff;
using Fangkong.Application.Accounts;

namespace Fangkong.Cli.Demo;

/// <summary>
/// One sign-in account per role of SPEC 1 for the demo (the member of the public is a resident of the
/// busiest community, signed in as themselves), with fresh random passwords, printed and
/// written beside a demo file (<c>…db.accounts.txt</c>). The region's commander and auditor see
/// everything; the others work in the county with the most cases (a community worker and a venue
/// operator in its busiest community), so that masking outside their jurisdiction can be seen.
/// </summary>
internal static class DemoAccounts
{
    private const string Alphabet = "abcdefghjkmnpqrstuvwxyz23456789";

    public static async Task AddAsync(Database db, DemoData data, StoreLocation location, CancellationToken ct)
    {
        var people = data.People.ToDictionary(p => p.Id);
        var county = data.Cases.Select(c => people.TryGetValue(c.PersonId, out var p) ? p.Person.CommunityCode : null)
            .Where(c => c is { Length: 12 }).GroupBy(c => c![..6]).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.Key).FirstOrDefault() ?? NingxiaReference.Counties.First().Code.Value;
        var community = data.People.Select(p => p.Person.CommunityCode).Where(c => c is not null && c.StartsWith(county, StringComparison.Ordinal))
            .GroupBy(c => c!).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key).First();
        var city = JurisdictionCode.Parse(county).Up(JurisdictionLevel.City).Value;
        var region = NingxiaReference.RegionCode;
        (string User, string Name, StaffRole Role, string Jurisdiction, string? Staff)[] accounts =
        [
            ("commander", "区指挥部值班员", StaffRole.Commander, region, "S-640000-commander"),
            ("investigator", "流调队员", StaffRole.Investigator, county, $"S-{county}-investigator"),
            ("control", "隔离转运专员", StaffRole.ControlOfficer, county, $"S-{county}-control"),
            ("testing", "核酸检测专员", StaffRole.TestingOfficer, county, $"S-{county}-testing"),
            ("community", "社区网格员", StaffRole.CommunityWorker, community, $"S-{community}"),
            ("checkpoint", "卡口检查员", StaffRole.CheckpointOfficer, city, null),
            ("venue", "场所管理员", StaffRole.VenueOperator, community, null),
            ("auditor", "督查员", StaffRole.Auditor, region, "S-640000-auditor"),
        ];
        // A member of the public under control in that community signs in as themselves.
        int resident;
        await using (var c = await db.OpenConnectionAsync(ct))
        {
            resident = await Dapper.SqlMapper.ExecuteScalarAsync<int?>(c, new Dapper.CommandDefinition("""
                SELECT o.person_id FROM control_orders o JOIN persons p ON p.id = o.person_id
                WHERE o.active = 1 AND o.grp <> 'case' AND p.community_code = @community
                ORDER BY CASE o.status WHEN 'under_control' THEN 0 ELSE 1 END, o.person_id LIMIT 1
                """, new { community }, cancellationToken: ct)) ?? data.People.Where(p => p.Person.CommunityCode == community).Select(p => p.Id)
                .FirstOrDefault(id => data.Cases.All(k => k.PersonId != id));
        }
        var lines = new List<string>();
        foreach (var a in accounts)
        {
            var staffId = a.Staff is null ? null : (await StaffRepository.FindAsync(db, a.Staff, ct))?.Id;
            var password = NewPassword();
            await AccountRepository.AddAsync(db, a.User, a.Name, a.Role, JurisdictionCode.Parse(a.Jurisdiction), staffId, Passwords.Hash(password), db.Now, ct);
            lines.Add($"{a.User,-13} {password,-16} {a.Role.ToCode(),-19} {a.Jurisdiction}  {a.Role.ToChinese()}");
        }
        if (resident != 0)
        {
            var password = NewPassword();
            var person = data.People.First(p => p.Id == resident).Person;
            await AccountRepository.AddAsync(db, "resident", person.Name ?? "群众", StaffRole.Person, JurisdictionCode.Parse(community), null, resident, Passwords.Hash(password), db.Now, ct);
            lines.Add($"{"resident",-13} {password,-16} {StaffRole.Person.ToCode(),-19} {community}  {StaffRole.Person.ToChinese()} ({person.PersonKey})");
        }
        System.Console.WriteLine("  accounts       one per role (username, password, role, jurisdiction):");
        foreach (var line in lines)
        {
            System.Console.WriteLine("                 " + line);
        }
        if (location.FilePath is { } path)
        {
            var file = path + ".accounts.txt";
            await File.WriteAllLinesAsync(file, ["# Demo accounts of the Fangkong command centre (username, password, role, jurisdiction)", .. lines], ct);
            System.Console.WriteLine($"                 (also written to {file})");
        }
    }

    private static string NewPassword()
    {
        while (true)
        {
            var p = "fk-" + RandomNumberGenerator.GetString(Alphabet, 12);
            if (Passwords.Weakness(p) is null)
            {
                return p;
            }
        }
    }
}
