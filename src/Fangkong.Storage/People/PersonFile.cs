using Dapper;
using Fangkong.Cases;
using Fangkong.Control;
using Fangkong.Storage.Cases;
using Fangkong.Storage.Control;

namespace Fangkong.Storage.People;

/// <summary>
/// How a person became a contact: the tier, the case (and the contact in between, for a secondary
/// contact), where and when they were together, and the policy that classified them.
/// </summary>
public sealed record ContactEvidence(string Tier, string IndexKey, string? ViaKey, string? Venue, string? Transport, long Start, long End, string PolicyId, string PolicyVersion)
{
    /// <summary>For a grid co-presence contact: the operator's key of the shared cell.</summary>
    public string? Cell { get; init; }
}

/// <summary>A temperature and symptoms taken on a person, by whom, and whether it was the person's own report.</summary>
public sealed record HealthCheckEntry(long At, double Temperature, string? Symptoms, string Actor, bool OwnReport);

/// <summary>
/// Everything the store holds about one person, for the person page (个人档案): the further keys, the
/// household (same community and address), the case, how they became a contact and how many contacts
/// they have as a case, every control order, health checks and own reports, interview entries, and the
/// change history of the record.
/// </summary>
public sealed record PersonFile(
    StoredPerson Person,
    IReadOnlyList<string> OtherKeys,
    IReadOnlyList<StoredPerson> Household,
    StoredCase? Case,
    ContactEvidence? AsContact,
    long ContactsAsCase,
    IReadOnlyList<ControlOrder> Orders,
    IReadOnlyList<HealthCheckEntry> Checks,
    IReadOnlyList<InterviewEntry> Interviews,
    IReadOnlyList<PersonHistoryEntry> History)
{
    /// <summary>How many of the household members a page lists (a wrong address shared by a whole block stays short).</summary>
    public const int HouseholdShown = 30;

    public static async Task<PersonFile> LoadAsync(Database db, StoredPerson stored, CancellationToken ct = default)
    {
        var id = stored.Id;
        var p = stored.Person;
        await using var c = await db.OpenConnectionAsync(ct);
        var keys = (await c.QueryAsync<string>(new CommandDefinition("SELECT person_key FROM person_keys WHERE person_id = @id ORDER BY person_key", new { id }, cancellationToken: ct))).ToList();
        var household = new List<StoredPerson>();
        if (!string.IsNullOrWhiteSpace(p.Address) && p.CommunityCode is not null)
        {
            var rows = await c.QueryAsync<PersonRepository.Row>(new CommandDefinition(
                $"SELECT {PersonRepository.SelectColumns} FROM persons WHERE community_code = @CommunityCode AND address = @Address AND id <> @id AND merged_into IS NULL ORDER BY person_key LIMIT {HouseholdShown}",
                new { p.CommunityCode, p.Address, id }, cancellationToken: ct));
            household.AddRange(rows.Select(r => r.ToStored()));
        }
        var caseRow = await c.QuerySingleOrDefaultAsync<(long PersonId, string Classification, string? Onset, long? Sampling, long Report, long? Isolation)?>(new CommandDefinition(
            "SELECT person_id, classification, onset_date, sampling_time, report_time, isolation_time FROM cases WHERE person_id = @id", new { id }, cancellationToken: ct));
        var theCase = caseRow is { } k
            ? new StoredCase(id, CaseClassifications.ParseStored(k.Classification), k.Onset is null ? null : DateOnly.ParseExact(k.Onset, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), k.Sampling, k.Report, k.Isolation)
            : null;
        var contact = (await c.QuerySingleOrDefaultAsync<EvidenceRow>(new CommandDefinition("""
            SELECT k.tier AS Tier, ip.person_key AS IndexKey, vp.person_key AS ViaKey, COALESCE(v.name, v.venue_key) AS Venue, k.transport AS Transport, g.cell_key AS Cell,
                   k.exposure_start AS Start, k.exposure_end AS "End", k.policy_id AS PolicyId, k.policy_version AS PolicyVersion
            FROM contacts k JOIN persons ip ON ip.id = k.index_person_id LEFT JOIN persons vp ON vp.id = k.via_person_id LEFT JOIN venues v ON v.id = k.venue_id
            LEFT JOIN grid_cells g ON g.id = k.cell_id
            WHERE k.person_id = @id
            """, new { id }, cancellationToken: ct)))?.ToEvidence();
        var asCase = await c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM contacts WHERE index_person_id = @id", new { id }, cancellationToken: ct));
        var checks = (await c.QueryAsync<(long At, double Temperature, string? Symptoms, string Actor, long Own)>(new CommandDefinition("""
            SELECT h.at, h.temperature, h.symptoms, h.actor,
                   CASE WHEN EXISTS (SELECT 1 FROM accounts a WHERE a.username = h.actor AND a.person_id = h.person_id) THEN 1 ELSE 0 END
            FROM health_checks h WHERE h.order_id IN (SELECT id FROM control_orders WHERE person_id = @id)
            ORDER BY h.at DESC, h.id DESC LIMIT 100
            """, new { id }, cancellationToken: ct)))
            .Select(h => new HealthCheckEntry(h.At, h.Temperature, h.Symptoms, h.Actor, h.Own != 0)).ToList();
        await c.CloseAsync();
        return new PersonFile(stored, keys, household, theCase, contact, asCase,
            await ControlRepository.HistoryOfAsync(db, id, ct), checks,
            await InterviewRepository.ForPersonAsync(db, id, ct),
            await PersonRepository.HistoryAsync(db, [id], ct));
    }

    // Settable properties: SQLite gives a COALESCE of nulls no type.
    private sealed class EvidenceRow
    {
        public string Tier { get; set; } = "";
        public string IndexKey { get; set; } = "";
        public string? ViaKey { get; set; }
        public string? Venue { get; set; }
        public string? Transport { get; set; }

        public string? Cell { get; set; }
        public long Start { get; set; }
        public long End { get; set; }
        public string PolicyId { get; set; } = "";
        public string PolicyVersion { get; set; } = "";

        public ContactEvidence ToEvidence() => new(Tier, IndexKey, ViaKey, Venue, Transport, Start, End, PolicyId, PolicyVersion) { Cell = Cell };
    }
}
