using Dapper;
using Fangkong.Cases;
using Fangkong.Control;
using Fangkong.Jurisdictions;

namespace Fangkong.Storage.Control;

/// <summary>One gap in the loop: what is missing, for whom, and who answers for it.</summary>
/// <param name="Said">What is missing, as a phrase (<c>missing.said.*</c>) that each front end renders in its reader's language.</param>
public sealed record MissingRow(string Kind, string PersonKey, string? Name, long? OrderId, Fangkong.Text.Phrase Said, string Answerable);

/// <summary>
/// "Who is missing?" (不漏一人): contacts without an order, orders without a monitor, people past
/// their transfer deadline, tests overdue, people whose planned end passed without a release decision,
/// and controlled people with neither a room nor a home address. Each row names who answers for it:
/// the monitor when there is one, else the jurisdiction. A contact counts as having an order when
/// it has an active one or one identified after its exposure began (an older, closed order does not
/// cover a new exposure). Orders are never deleted and a sync gives every contact it reads an order,
/// so only contacts stored after the last sync need checking. Every part is answered from an index,
/// so the audit does not scan the open orders.
/// </summary>
public static class MissingAudit
{
    public static IReadOnlyList<string> Kinds { get; } = ["no_order", "no_monitor", "transfer_overdue", "test_overdue", "release_overdue", "no_place"];

    public static async Task<List<MissingRow>> RunAsync(Database db, JurisdictionCode? within = null, string? kind = null, int limit = int.MaxValue, CancellationToken ct = default)
    {
        var now = db.Now;
        var today = Dates.Format(db.Calendar.LocalDate(now));
        var parts = new Dictionary<string, string>
        {
            ["no_order"] = $"""
                SELECT 'no_order' AS kind, c.person_id, CAST(NULL AS BIGINT) AS order_id, CAST(NULL AS BIGINT) AS monitor_id, c.tier AS info FROM contacts c
                WHERE c.tier IN ('close', 'secondary', 'grid') AND c.traced_at > @synced
                  AND NOT EXISTS (SELECT 1 FROM control_orders o WHERE o.person_id = c.person_id AND o.active = 1)
                  AND NOT EXISTS (SELECT 1 FROM control_orders o WHERE o.person_id = c.person_id AND o.identified_at >= c.exposure_start)
                  AND NOT EXISTS (SELECT 1 FROM cases k WHERE k.person_id = c.person_id AND k.classification IN ({CaseClassifications.InfectionsSql}))
                """,
            ["no_monitor"] = "SELECT 'no_monitor', o.person_id, o.id, CAST(NULL AS BIGINT), o.grp FROM control_orders o WHERE o.active = 1 AND o.monitor_id IS NULL",
            ["transfer_overdue"] = $"""
                SELECT 'transfer_overdue', o.person_id, o.id, o.monitor_id, CAST(o.transfer_due AS TEXT) FROM control_orders o
                WHERE o.active = 1 AND o.measure = 'centralized_quarantine' AND o.status IN ({StatusSets.Sql(StatusSets.AwaitingHandOver)}) AND o.transfer_due < @now
                """,
            ["test_overdue"] = """
                SELECT 'test_overdue', t.person_id, t.order_id, (SELECT o.monitor_id FROM control_orders o WHERE o.id = t.order_id), t.due_date FROM scheduled_tests t
                WHERE t.sampled_at IS NULL AND t.due_date < @today AND (SELECT o.active FROM control_orders o WHERE o.id = t.order_id) = 1
                """,
            ["release_overdue"] = """
                SELECT 'release_overdue', o.person_id, o.id, o.monitor_id, o.planned_end FROM control_orders o
                WHERE o.active = 1 AND o.grp <> 'case' AND o.planned_end < @today
                """,
            ["no_place"] = """
                SELECT 'no_place', o.person_id, o.id, o.monitor_id, o.measure FROM control_orders o
                WHERE o.active = 1 AND o.measure = 'centralized_quarantine' AND o.status IN ('arrived', 'under_control')
                  AND NOT EXISTS (SELECT 1 FROM room_stays s WHERE s.order_id = o.id AND s.checked_out IS NULL)
                UNION ALL
                SELECT 'no_place', o.person_id, o.id, o.monitor_id, o.measure FROM control_orders o
                WHERE o.active = 1 AND (o.home_address IS NULL OR o.home_address = '')
                  AND o.measure IN ('home_quarantine', 'home_health_monitoring') AND o.status IN ('arrived', 'under_control')
                """,
        };
        var chosen = kind is null ? Kinds : Kinds.Where(k => k == kind).ToList();
        var union = string.Join(" UNION ALL ", chosen.Select(k => parts[k]));
        // The gaps first, then their people and monitors by id: the gaps are few, and a join in one
        // statement lets a planner misjudge their number and read every person.
        await using var c = await db.OpenConnectionAsync(ct);
        var synced = await ControlSync.LastRunAsync(c, null, ct);
        var gaps = (await c.QueryAsync<(string Kind, long Person, long? Order, long? Monitor, string? Info)>(new CommandDefinition(
            union, new { now, today, synced }, commandTimeout: 600, cancellationToken: ct))).ToList();
        var people = (await People.PersonRepository.LoadByIdsAsync(db, gaps.Select(g => (int)g.Person), ct)).ToDictionary(p => p.Id);
        var staff = new Dictionary<long, (string Key, string Name)>();
        foreach (var chunk in gaps.Where(g => g.Monitor is not null).Select(g => g.Monitor!.Value).Distinct().Chunk(500))
        {
            foreach (var m in await c.QueryAsync<(long Id, string Key, string Name)>(new CommandDefinition(
                         $"SELECT id, staff_key, name FROM staff WHERE id IN ({string.Join(",", chunk)})", cancellationToken: ct)))
            {
                staff[m.Id] = (m.Key, m.Name);
            }
        }
        var prefix = within is { } w ? Scope.Prefix(w) : null;
        return gaps
            .Where(g => people.ContainsKey((int)g.Person))
            .Select(g => (Gap: g, Person: people[(int)g.Person].Person))
            .Where(x => prefix is null || (x.Person.CommunityCode?.StartsWith(prefix, StringComparison.Ordinal) ?? false))
            .OrderBy(x => x.Gap.Kind, StringComparer.Ordinal).ThenBy(x => x.Person.PersonKey, StringComparer.Ordinal)
            .Take(limit)
            .Select(x =>
            {
                var monitor = x.Gap.Monitor is { } id && staff.TryGetValue(id, out var m) ? m : ((string Key, string Name)?)null;
                return new MissingRow(x.Gap.Kind, x.Person.PersonKey, x.Person.Name, x.Gap.Order, Say(db, x.Gap.Kind, x.Gap.Info),
                    Answerable(x.Gap.Kind, monitor?.Key, monitor?.Name, x.Person.CommunityCode));
            }).ToList();
    }

    private static Fangkong.Text.Phrase Say(Database db, string kind, string? info) => kind switch
    {
        "no_order" => Fangkong.Text.Phrase.Of("missing.said.noOrder", Fangkong.Text.Phrase.Text("group." + (info is "close" or "grid" ? info : "secondary"))),
        "no_monitor" => Fangkong.Text.Phrase.Of("missing.said.noMonitor"),
        "transfer_overdue" => Fangkong.Text.Phrase.Of("missing.said.transferOverdue", long.TryParse(info, out var due) ? db.Calendar.ToLocal(due).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture) : info),
        "test_overdue" => Fangkong.Text.Phrase.Of("missing.said.testOverdue", info),
        "release_overdue" => Fangkong.Text.Phrase.Of("missing.said.releaseOverdue", info),
        _ => Fangkong.Text.Phrase.Of(info == "centralized_quarantine" ? "missing.said.noRoom" : "missing.said.noAddress"),
    };

    /// <summary>Transfers and release decisions belong to the county's control team; the rest to the person's monitor, else their community.</summary>
    private static string Answerable(string kind, string? staff, string? staffName, string? community)
    {
        var place = Scope.HomeOf(community);
        if (kind is "transfer_overdue" or "release_overdue")
        {
            return Scope.CountyOf(community);
        }
        return staff is null || kind is "no_monitor" or "no_order" ? place : $"{staff} {staffName}";
    }
}
