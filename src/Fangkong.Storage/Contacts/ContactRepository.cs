using Dapper;
using Fangkong.Policies;
using Fangkong.Tracing;

namespace Fangkong.Storage.Contacts;

/// <summary>A stored classification: the contact, its tier and evidence, and the policy that produced it.</summary>
public sealed record StoredContact(ContactFinding Finding, string PolicyId, string PolicyVersion, long TracedAt);

/// <summary>
/// The contacts of the last full trace. Storing a trace replaces the previous set in one
/// transaction, so re-running a trace on the same data changes nothing.
/// </summary>
public static class ContactRepository
{
    private static readonly BulkTable<StoredContact> Table = BulkTable<StoredContact>.Of("contacts", "person_id", updateOnConflict: true)
        .Int("person_id", c => c.Finding.Person).Text("tier", c => c.Finding.Tier.ToCode()).Int("index_person_id", c => c.Finding.IndexPerson)
        .Int("via_person_id", c => c.Finding.ViaPerson).Int("venue_id", c => c.Finding.Venue).Long("exposure_start", c => c.Finding.Start).Long("exposure_end", c => c.Finding.End)
        .Text("policy_id", c => c.PolicyId).Text("policy_version", c => c.PolicyVersion).Long("traced_at", c => c.TracedAt).Text("transport", c => c.Finding.Transport)
        .Long("last_exposure", c => c.Finding.LastExposureEnd).Int("cell_id", c => c.Finding.Cell);

    public static async Task<long> ReplaceAllAsync(Database db, IReadOnlyList<ContactFinding> findings, PolicyProfile policy, CancellationToken ct = default)
    {
        await using var s = await StoreSession.BeginAsync(db, ct);
        var previous = (await LoadAsync(s.Connection, s.Transaction, null, ct)).ToDictionary(c => c.Finding.Person);
        var changed = findings.Count(f => !previous.TryGetValue(f.Person, out var p) || p.Finding != f || p.PolicyId != policy.Id) + previous.Keys.Except(findings.Select(f => f.Person)).Count();
        if (changed == 0)
        {
            return 0;
        }
        await s.Connection.ExecuteAsync(new CommandDefinition("DELETE FROM contacts", transaction: s.Transaction, cancellationToken: ct));
        var now = db.Now;
        await BulkWriter.UpsertAsync(s, Table, findings.Select(f => new StoredContact(f, policy.Id, policy.Version, now)), ct);
        await s.CommitAsync(ct);
        return changed;
    }

    /// <summary>Stored contacts, all or those reached through one case.</summary>
    public static async Task<List<StoredContact>> LoadAsync(Database db, int? indexPerson = null, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return await LoadAsync(c, null, indexPerson, ct);
    }

    /// <summary>How many contacts a case has by tier ('close', 'secondary', 'grid', 'general').</summary>
    public static async Task<Dictionary<string, long>> CountByTierAsync(Database db, int indexPerson, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<(string Tier, long N)>(new CommandDefinition(
            "SELECT tier, COUNT(*) FROM contacts WHERE index_person_id = @indexPerson GROUP BY tier", new { indexPerson }, cancellationToken: ct));
        return rows.ToDictionary(r => r.Tier, r => r.N, StringComparer.Ordinal);
    }

    /// <summary>The first <paramref name="perTier"/> contacts of each tier of a case (by person): what a case page shows of hundreds of thousands.</summary>
    public static async Task<List<StoredContact>> FirstOfEachTierAsync(Database db, int indexPerson, int perTier, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var contacts = new List<StoredContact>();
        foreach (var tier in Enum.GetValues<ContactTier>())
        {
            contacts.AddRange(await LoadAsync(c, null, indexPerson, ct, tier.ToCode(), perTier));
        }
        return contacts;
    }

    private static async Task<List<StoredContact>> LoadAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction? tx, int? indexPerson, CancellationToken ct, string? tier = null, int? limit = null)
    {
        var rows = await c.QueryAsync<(long Person, string Tier, long Index, long? Via, long? Venue, long Start, long End, string PolicyId, string PolicyVersion, long TracedAt, string? Transport, long? Last, long? Cell)>(new CommandDefinition(
            "SELECT person_id, tier, index_person_id, via_person_id, venue_id, exposure_start, exposure_end, policy_id, policy_version, traced_at, transport, last_exposure, cell_id FROM contacts" +
            (indexPerson is null ? "" : " WHERE index_person_id = @indexPerson") + (tier is null ? "" : " AND tier = @tier") + " ORDER BY tier, person_id" +
            (limit is null ? "" : " LIMIT @limit"),
            new { indexPerson, tier, limit }, tx, cancellationToken: ct));
        return rows.Select(r => new StoredContact(
            new ContactFinding((int)r.Person, ContactTiers.ParseStored(r.Tier), (int)r.Index, (int?)r.Via, (int?)r.Venue, r.Start, r.End) { Transport = r.Transport, LastExposureEnd = r.Last, Cell = (int?)r.Cell },
            r.PolicyId, r.PolicyVersion, r.TracedAt)).ToList();
    }
}
