using System.Globalization;
using Dapper;

namespace Fangkong.Storage.Control;

/// <summary>The policy's hours a scorecard measures against (the profile's control rules).</summary>
/// <param name="NotifyWithinHours">A newly identified person is told of the measure within this many hours.</param>
/// <param name="UnderControlWithinHours">A case's close contacts are under control within this many hours of its report.</param>
public sealed record TimelinessTargets(int NotifyWithinHours, int UnderControlWithinHours);

/// <summary>
/// One jurisdiction's timeliness (四早) and backlog: cases and the median days from onset to report (早发现、早报告)
/// and hours from report to isolation (早隔离、早治疗); its close contacts and the share told of their measure
/// and the share under control within the policy's hours (null: none measurable yet); its overdue tasks.
/// </summary>
public sealed record JurisdictionScore(string Jurisdiction, int Cases, double? OnsetToReportDays, double? ReportToIsolationHours,
    int CloseContacts, double? NotifiedInTime, double? ControlledInTime, int OverdueTasks);

/// <summary>
/// The dashboard's side of the scorecard (SPEC C11, C13): the jurisdictions one level below the
/// viewer's (counties for the region or a city, communities for a county), worst first, with the
/// four earlies measured per case and per order.
/// </summary>
public static partial class Scorecard
{
    /// <summary>How long a child code is below a prefix: counties below the region or a city, the community's own code below.</summary>
    public static int ChildLength(string prefix) => prefix.Length < 6 ? 6 : int.MaxValue;

    public static async Task<List<JurisdictionScore>> JurisdictionsAsync(Database db, string prefix, TimelinessTargets targets, CancellationToken ct = default)
    {
        var now = db.Now;
        var like = prefix + "%";
        var inScope = prefix.Length == 0 ? "1=1" : "p.community_code LIKE @like";
        var childLength = ChildLength(prefix);
        string? Child(string? community) => community is null || community.Length < 6 ? null : community.Length > childLength ? community[..childLength] : community;
        await using var c = await db.OpenConnectionAsync(ct);

        var cases = await c.QueryAsync<(string? Community, string? Onset, long Report, long? Isolation)>(new CommandDefinition(
            $"SELECT p.community_code, k.onset_date, k.report_time, k.isolation_time FROM cases k JOIN persons p ON p.id = k.person_id WHERE k.classification <> 'not_a_case' AND {inScope}",
            new { like }, cancellationToken: ct));
        var orders = await c.QueryAsync<(string? Community, long Identified, long? Notified, long? Controlled, long? SourceReport)>(new CommandDefinition(
            $"""
            SELECT p.community_code, o.identified_at, o.notified_at, o.controlled_at, k.report_time
            FROM control_orders o JOIN persons p ON p.id = o.person_id LEFT JOIN cases k ON k.person_id = o.source_case_id
            WHERE o.grp = 'close' AND {inScope}
            """, new { like }, cancellationToken: ct));
        var overdue = await c.QueryAsync<(string Home, long N)>(new CommandDefinition(
            $"SELECT home_jurisdiction, COUNT(*) FROM tasks WHERE status = 'open' AND due_at < @now AND {(prefix.Length == 0 ? "1=1" : "home_jurisdiction LIKE @like")} GROUP BY home_jurisdiction",
            new { like, now }, cancellationToken: ct));

        var rows = new Dictionary<string, Builder>(StringComparer.Ordinal);
        Builder Of(string key) => rows.TryGetValue(key, out var b) ? b : rows[key] = new Builder();
        foreach (var k in cases)
        {
            if (Child(k.Community) is not { } key)
            {
                continue;
            }
            var b = Of(key);
            b.Cases++;
            if (k.Onset is not null && DateOnly.TryParseExact(k.Onset, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var onset))
            {
                b.OnsetToReport.Add(db.Calendar.LocalDate(k.Report).DayNumber - onset.DayNumber);
            }
            if (k.Isolation is { } iso)
            {
                b.ReportToIsolation.Add(Math.Max(0, iso - k.Report) / 3600.0);
            }
        }
        foreach (var o in orders)
        {
            if (Child(o.Community) is not { } key)
            {
                continue;
            }
            var b = Of(key);
            b.Close++;
            // Measurable once told, or once the time allowed has run out.
            var notifyBy = o.Identified + targets.NotifyWithinHours * 3600L;
            if (o.Notified is not null || notifyBy <= now)
            {
                b.NotifyMeasured++;
                b.NotifiedInTime += o.Notified is { } n && n <= notifyBy ? 1 : 0;
            }
            if (o.SourceReport is { } report)
            {
                var controlBy = report + targets.UnderControlWithinHours * 3600L;
                if (o.Controlled is not null || controlBy <= now)
                {
                    b.ControlMeasured++;
                    b.ControlledInTime += o.Controlled is { } u && u <= controlBy ? 1 : 0;
                }
            }
        }
        foreach (var t in overdue)
        {
            if (Child(t.Home) is { } key)
            {
                Of(key).Overdue += (int)t.N;
            }
        }
        return [.. rows.Select(kv => kv.Value.ToRow(kv.Key))
            .OrderBy(r => r.ControlledInTime ?? 1).ThenByDescending(r => r.OverdueTasks).ThenByDescending(r => r.Cases).ThenBy(r => r.Jurisdiction, StringComparer.Ordinal)];
    }

    /// <summary>The median of the values; null for none (the lower-upper mean for an even count).</summary>
    public static double? Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            return null;
        }
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private sealed class Builder
    {
        public int Cases;
        public int Close;
        public int Overdue;
        public int NotifyMeasured;
        public int NotifiedInTime;
        public int ControlMeasured;
        public int ControlledInTime;
        public readonly List<double> OnsetToReport = [];
        public readonly List<double> ReportToIsolation = [];

        public JurisdictionScore ToRow(string key) => new(key, Cases, Median(OnsetToReport), Median(ReportToIsolation), Close,
            NotifyMeasured == 0 ? null : (double)NotifiedInTime / NotifyMeasured, ControlMeasured == 0 ? null : (double)ControlledInTime / ControlMeasured, Overdue);
    }
}
