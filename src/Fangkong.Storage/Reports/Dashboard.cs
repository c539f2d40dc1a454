using System.Globalization;
using Dapper;

namespace Fangkong.Storage.Reports;

/// <summary>One day of the epidemic curve: cases by onset date and by report date (local dates).</summary>
public sealed record CurvePoint(DateOnly Date, int ByOnset, int ByReport);

/// <summary>The command dashboard's figures (SPEC C13) for one jurisdiction (code prefix; empty = whole region) on one local day.</summary>
public sealed record DashboardFigures(
    int Cases, int Confirmed, int Asymptomatic, int Suspected, int NewToday,
    int CloseContacts, int SecondaryContacts, int CloseUnderControl, int SecondaryUnderControl,
    int RoomsTotal, int RoomsOccupied, int RoomsReserve, int OpenTasks, int OverdueTasks,
    IReadOnlyList<CurvePoint> Curve, IReadOnlyDictionary<string, int> CasesByCounty)
{
    /// <summary>The same figures as they stood at the end of yesterday (local day), for the trend; null until loaded.</summary>
    public DashboardTrend? Yesterday { get; init; }
}

/// <summary>
/// The dashboard's figures at the end of yesterday: cases reported before today and those of yesterday
/// alone, contacts traced before today, people under control at midnight, tasks overdue 24 hours ago.
/// </summary>
public sealed record DashboardTrend(int Cases, int NewCases, int CloseContacts, int SecondaryContacts, int CloseUnderControl, int SecondaryUnderControl, int OverdueTasks);

public static class Dashboard
{
    public static async Task<DashboardFigures> LoadAsync(Database db, string prefix, CancellationToken ct = default)
    {
        var now = db.Now;
        var today = db.Calendar.LocalDate(now);
        var todayStart = db.Calendar.StartOfDay(today);
        var like = prefix + "%";
        var all = prefix.Length == 0;
        var inScope = all ? "1=1" : "p.community_code LIKE @like";
        await using var c = await db.OpenConnectionAsync(ct);

        var cases = (await c.QueryAsync<(string Classification, string? Onset, long Report, string? Community)>(new CommandDefinition(
            $"SELECT k.classification, k.onset_date, k.report_time, p.community_code FROM cases k JOIN persons p ON p.id = k.person_id WHERE k.classification <> 'not_a_case' AND {inScope}",
            new { like }, cancellationToken: ct))).ToList();

        var contacts = (await c.QueryAsync<(string Tier, long N)>(new CommandDefinition(
            $"SELECT t.tier, COUNT(*) FROM contacts t JOIN persons p ON p.id = t.person_id WHERE {inScope} GROUP BY t.tier",
            new { like }, cancellationToken: ct))).ToDictionary(r => r.Tier, r => (int)r.N);

        var controlled = (await c.QueryAsync<(string Grp, long N)>(new CommandDefinition(
            $"SELECT o.grp, COUNT(*) FROM control_orders o JOIN persons p ON p.id = o.person_id WHERE o.active = 1 AND o.status = 'under_control' AND {inScope} GROUP BY o.grp",
            new { like }, cancellationToken: ct))).ToDictionary(r => r.Grp, r => (int)r.N);

        var rooms = await c.QuerySingleAsync<(long? Total, long? Occupied, long? Reserve)>(new CommandDefinition(
            $"""
            SELECT COUNT(*), SUM(CASE WHEN r.occupants > 0 THEN 1 ELSE 0 END), SUM(CASE WHEN r.reserve = 1 THEN 1 ELSE 0 END)
            FROM site_rooms r JOIN quarantine_sites q ON q.id = r.site_id WHERE {(all ? "1=1" : "q.county_code LIKE @like")}
            """, new { like }, cancellationToken: ct));

        var tasks = await c.QuerySingleAsync<(long Open, long? Overdue)>(new CommandDefinition(
            $"""
            SELECT COUNT(*), SUM(CASE WHEN due_at < @now THEN 1 ELSE 0 END) FROM tasks
            WHERE status = 'open' AND {(all ? "1=1" : "home_jurisdiction LIKE @like")}
            """, new { like, now }, cancellationToken: ct));

        var before = await c.QueryAsync<(string Tier, long N)>(new CommandDefinition(
            $"SELECT t.tier, COUNT(*) FROM contacts t JOIN persons p ON p.id = t.person_id WHERE t.traced_at < @todayStart AND {inScope} GROUP BY t.tier",
            new { like, todayStart }, cancellationToken: ct));
        var contactsBefore = before.ToDictionary(r => r.Tier, r => (int)r.N);
        var controlledBefore = (await c.QueryAsync<(string Grp, long N)>(new CommandDefinition(
            $"""
            SELECT o.grp, COUNT(*) FROM control_orders o JOIN persons p ON p.id = o.person_id
            WHERE o.controlled_at < @todayStart AND (o.closed_at IS NULL OR o.closed_at >= @todayStart) AND {inScope} GROUP BY o.grp
            """, new { like, todayStart }, cancellationToken: ct))).ToDictionary(r => r.Grp, r => (int)r.N);
        var dayAgo = now - 86_400;
        var overdueBefore = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            $"""
            SELECT COUNT(*) FROM tasks WHERE due_at < @dayAgo AND (status = 'open' OR done_at > @dayAgo) AND {(all ? "1=1" : "home_jurisdiction LIKE @like")}
            """, new { like, dayAgo }, cancellationToken: ct));
        var yesterday = new DashboardTrend(
            cases.Count(k => k.Report < todayStart), cases.Count(k => k.Report >= todayStart - 86_400 && k.Report < todayStart),
            contactsBefore.GetValueOrDefault("close"), contactsBefore.GetValueOrDefault("secondary"),
            controlledBefore.GetValueOrDefault("close"), controlledBefore.GetValueOrDefault("secondary"), (int)overdueBefore);

        var byOnset = cases.Where(k => k.Onset is not null)
            .GroupBy(k => DateOnly.ParseExact(k.Onset!, "yyyy-MM-dd", CultureInfo.InvariantCulture)).ToDictionary(g => g.Key, g => g.Count());
        var byReport = cases.GroupBy(k => db.Calendar.LocalDate(k.Report)).ToDictionary(g => g.Key, g => g.Count());
        var curve = new List<CurvePoint>();
        if (byOnset.Count + byReport.Count > 0)
        {
            var first = byOnset.Keys.Concat(byReport.Keys).Min();
            var last = new[] { byOnset.Keys.Concat(byReport.Keys).Max(), today }.Max();
            for (var d = first; d <= last; d = d.AddDays(1))
            {
                curve.Add(new CurvePoint(d, byOnset.GetValueOrDefault(d), byReport.GetValueOrDefault(d)));
            }
        }
        var byCounty = cases.Where(k => k.Community is { Length: >= 6 })
            .GroupBy(k => k.Community![..6]).ToDictionary(g => g.Key, g => g.Count());

        return new DashboardFigures(
            cases.Count,
            cases.Count(k => k.Classification == "confirmed"),
            cases.Count(k => k.Classification == "asymptomatic"),
            cases.Count(k => k.Classification == "suspected"),
            cases.Count(k => k.Report >= todayStart),
            contacts.GetValueOrDefault("close"), contacts.GetValueOrDefault("secondary"),
            controlled.GetValueOrDefault("close"), controlled.GetValueOrDefault("secondary"),
            (int)(rooms.Total ?? 0), (int)(rooms.Occupied ?? 0), (int)(rooms.Reserve ?? 0),
            (int)tasks.Open, (int)(tasks.Overdue ?? 0), curve, byCounty) { Yesterday = yesterday };
    }
}
