using Dapper;
using Fangkong.Cases;
using Fangkong.Jurisdictions;
using Fangkong.Policies;

namespace Fangkong.Storage.Control;

/// <summary>Timeliness of one case (四早): hours from its report until all its close contacts were under control.</summary>
/// <param name="Hours">Null while some close contact is not yet under control.</param>
public sealed record CaseTimeliness(string CaseKey, string County, long ReportTime, int CloseContacts, int UnderControl, double? Hours, bool Met);

/// <summary>One county's line: its cases' timeliness against the policy target, and its open and overdue tasks.</summary>
public sealed record CountyScore(string County, string Name, int Cases, int CasesMet, int CasesPending, double? MedianHours, int CloseContacts, int CloseUnderControl,
    int OpenTasks, int OverdueTasks, int EscalatedTasks);

/// <summary>
/// The per-case and per-county scorecard. A close contact counts for the case through which it was
/// first exposed (the index of its classification); it is "under control" from the moment its order
/// first reached that state, whatever happened later (release, conversion to case).
/// </summary>
public static partial class Scorecard
{
    public static async Task<List<CaseTimeliness>> CasesAsync(Database db, PolicyProfile policy, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<(string Key, string? Community, long Report, long Close, long Controlled, long? LastControlled)>(new CommandDefinition($"""
            SELECT p.person_key, p.community_code, k.report_time,
                   (SELECT COUNT(*) FROM contacts x WHERE x.index_person_id = k.person_id AND x.tier = 'close'),
                   (SELECT COUNT(*) FROM contacts x WHERE x.index_person_id = k.person_id AND x.tier = 'close'
                        AND EXISTS (SELECT 1 FROM control_orders o WHERE o.person_id = x.person_id AND o.controlled_at IS NOT NULL)),
                   (SELECT MAX(f.first_controlled) FROM (SELECT MIN(o.controlled_at) AS first_controlled FROM contacts x JOIN control_orders o ON o.person_id = x.person_id
                        WHERE x.index_person_id = k.person_id AND x.tier = 'close' AND o.controlled_at IS NOT NULL GROUP BY x.person_id) f)
            FROM cases k JOIN persons p ON p.id = k.person_id
            WHERE k.classification IN ({CaseClassifications.InfectionsSql})
            ORDER BY k.report_time, p.person_key
            """, cancellationToken: ct));
        var target = policy.Control.CloseContactsUnderControlWithinHours;
        return rows.Select(r =>
        {
            var all = r.Controlled == r.Close;
            double? hours = all ? r.Close == 0 ? 0 : Math.Max(0, (r.LastControlled!.Value - r.Report) / 3600.0) : null;
            var county = Scope.CountyOf(r.Community);
            return new CaseTimeliness(r.Key, county, r.Report, (int)r.Close, (int)r.Controlled, hours, hours is { } h && h <= target);
        }).ToList();
    }

    public static async Task<List<CountyScore>> CountiesAsync(Database db, PolicyProfile policy, CancellationToken ct = default)
    {
        var cases = await CasesAsync(db, policy, ct);
        var now = db.Now;
        await using var c = await db.OpenConnectionAsync(ct);
        var names = (await c.QueryAsync<(string Code, string Name)>(new CommandDefinition("SELECT code, name FROM jurisdictions WHERE level = 3", cancellationToken: ct)))
            .ToDictionary(x => x.Code, x => x.Name, StringComparer.Ordinal);
        var tasks = (await c.QueryAsync<(string Home, long Open, long Overdue, long Escalated)>(new CommandDefinition(
            "SELECT home_jurisdiction, COUNT(*), SUM(CASE WHEN due_at < @now THEN 1 ELSE 0 END), SUM(CASE WHEN escalation_level > 0 THEN 1 ELSE 0 END) FROM tasks WHERE status = 'open' GROUP BY home_jurisdiction",
            new { now }, cancellationToken: ct))).ToList();
        static string CountyOf(string code) => JurisdictionCode.TryParse(code, out var j, out _) && j.Level >= JurisdictionLevel.County ? j.Up(JurisdictionLevel.County).Value : code;
        var taskByCounty = tasks.GroupBy(t => CountyOf(t.Home)).ToDictionary(g => g.Key, g => (Open: g.Sum(x => x.Open), Overdue: g.Sum(x => x.Overdue), Escalated: g.Sum(x => x.Escalated)));
        var counties = cases.Select(x => x.County).Concat(taskByCounty.Keys).Distinct().Order(StringComparer.Ordinal);
        return counties.Select(code =>
        {
            var mine = cases.Where(x => x.County == code).ToList();
            var median = Median([.. mine.Where(x => x.Hours is not null).Select(x => x.Hours!.Value)]);
            var t = taskByCounty.GetValueOrDefault(code);
            return new CountyScore(code, names.GetValueOrDefault(code, code), mine.Count, mine.Count(x => x.Met), mine.Count(x => x.Hours is null), median,
                mine.Sum(x => x.CloseContacts), mine.Sum(x => x.UnderControl), (int)t.Open, (int)t.Overdue, (int)t.Escalated);
        }).ToList();
    }
}
