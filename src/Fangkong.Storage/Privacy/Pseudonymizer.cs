using System.Security.Cryptography;
using Dapper;
using Fangkong.Tasks;

namespace Fangkong.Storage.Privacy;

/// <summary>A person whose epidemiological records may be detached from their identity, and their community (kept for the aggregates).</summary>
public sealed record PseudonymCandidate(int PersonId, string? Community);

/// <summary>What one detachment moved and cleared.</summary>
public sealed record PseudonymizeCounts(int People, int Orders, int HealthChecks, int Tasks, int Contacts, int Exposures, int Cases)
{
    public static readonly PseudonymizeCounts None = new(0, 0, 0, 0, 0, 0, 0);

    public PseudonymizeCounts Plus(PseudonymizeCounts o) =>
        new(People + o.People, Orders + o.Orders, HealthChecks + o.HealthChecks, Tasks + o.Tasks, Contacts + o.Contacts, Exposures + o.Exposures, Cases + o.Cases);
}

/// <summary>
/// Detaches a person's epidemiological records from their identity (去标识化): the contacts, exposures,
/// travel legs, control orders with their tests, health checks, room stays and tasks, and a case with its
/// interview, move to a new pseudonymous person (<c>id_type = 'pseudonym'</c>, a random key, no name, no
/// ID number, no phone, no address, no birth date — only the community, so that counts by area stay
/// right), and the household, workplace and travel exposures that lie in the past. Free text that could name someone is cleared: symptoms, step notes, transfer addresses and
/// crews, household labels, task notes and a fever task's symptoms. The person stays in the population
/// register with their identity and their later check-ins; their earlier records no longer point to them,
/// and a later trace meets the pseudonym (who carries the released order), never them.
/// </summary>
public static class Pseudonymizer
{
    public const string IdType = "pseudonym";

    /// <summary>
    /// People released long enough ago: every order closed before <paramref name="releasedBefore"/>, none
    /// active, not a case, not a pseudonym already, and every exposure that made them a contact ended before
    /// <paramref name="exposedBefore"/> (the first check-in still kept: no evidence left that a trace could find again).
    /// </summary>
    public static async Task<IReadOnlyList<PseudonymCandidate>> ReleasedBeforeAsync(Database db, long releasedBefore, long exposedBefore, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<(long Id, string? Community)>(new CommandDefinition("""
            SELECT p.id, p.community_code FROM persons p
            WHERE (p.id_type IS NULL OR p.id_type <> 'pseudonym') AND p.merged_into IS NULL
              AND NOT EXISTS (SELECT 1 FROM cases k WHERE k.person_id = p.id)
              AND EXISTS (SELECT 1 FROM control_orders o WHERE o.person_id = p.id)
              AND NOT EXISTS (SELECT 1 FROM control_orders o WHERE o.person_id = p.id
                              AND (o.active = 1 OR o.closed_at IS NULL OR o.closed_at >= @releasedBefore OR COALESCE(o.last_exposure, 0) >= @exposedBefore))
            ORDER BY p.id
            """, new { releasedBefore, exposedBefore }, cancellationToken: ct));
        return [.. rows.Select(r => new PseudonymCandidate((int)r.Id, r.Community))];
    }

    /// <summary>Everyone with a case, a contact or an order whose community lies under <paramref name="prefix"/> (a closed outbreak's people), and how many orders there are still active.</summary>
    public static async Task<(IReadOnlyList<PseudonymCandidate> People, long ActiveOrders)> OutbreakAsync(Database db, string prefix, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var args = new { like = prefix + "%" };
        var active = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM control_orders o JOIN persons p ON p.id = o.person_id WHERE o.active = 1 AND p.community_code LIKE @like", args, cancellationToken: ct));
        var rows = await c.QueryAsync<(long Id, string? Community)>(new CommandDefinition("""
            SELECT p.id, p.community_code FROM persons p
            WHERE (p.id_type IS NULL OR p.id_type <> 'pseudonym') AND p.merged_into IS NULL AND p.community_code LIKE @like
              AND (EXISTS (SELECT 1 FROM cases k WHERE k.person_id = p.id)
                   OR EXISTS (SELECT 1 FROM contacts t WHERE t.person_id = p.id)
                   OR EXISTS (SELECT 1 FROM control_orders o WHERE o.person_id = p.id))
            ORDER BY p.id
            """, args, cancellationToken: ct));
        return ([.. rows.Select(r => new PseudonymCandidate((int)r.Id, r.Community))], active);
    }

    /// <summary>
    /// Detaches the people's records, each person in one transaction; returns what moved. Household,
    /// workplace and travel exposures move only when they ended before <paramref name="exposuresEndedBefore"/>:
    /// a later one is still evidence about the person for a case yet to come.
    /// </summary>
    public static async Task<PseudonymizeCounts> DetachAsync(Database db, IReadOnlyList<PseudonymCandidate> people, long now, long exposuresEndedBefore, CancellationToken ct = default)
    {
        var total = PseudonymizeCounts.None;
        foreach (var person in people)
        {
            total = total.Plus(await DetachOneAsync(db, person, now, exposuresEndedBefore, ct));
        }
        return total;
    }

    private static async Task<PseudonymizeCounts> DetachOneAsync(Database db, PseudonymCandidate person, long now, long before, CancellationToken ct)
    {
        await using var s = await StoreSession.BeginAsync(db, ct);
        var c = s.Connection;
        var tx = s.Transaction;
        Task<int> Run(string sql, object? args = null) => c.ExecuteAsync(new CommandDefinition(sql, args, tx, cancellationToken: ct));
        if (db.Provider == StoreProvider.Postgres)
        {
            await Run("LOCK TABLE persons IN SHARE ROW EXCLUSIVE MODE");
        }
        var id = await c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COALESCE(MAX(id), 0) + 1 FROM persons", transaction: tx, cancellationToken: ct));
        var key = "PSN-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        await Run("INSERT INTO persons (id, person_key, id_type, community_code, updated_at) VALUES (@id, @key, @type, @community, @now)",
            new { id, key, type = IdType, community = person.Community, now });
        var move = new { from = person.PersonId, to = (int)id, before };

        // Free text first, while the rows still point to the person.
        var checks = await Run("UPDATE health_checks SET symptoms = NULL WHERE person_id = @from", move);
        await Run("UPDATE control_events SET detail = NULL WHERE order_id IN (SELECT id FROM control_orders WHERE person_id = @from)", move);
        await Run("UPDATE transfers SET pickup_address = '', vehicle = '', crew = '' WHERE order_id IN (SELECT id FROM control_orders WHERE person_id = @from)", move);
        await Run("UPDATE room_stays SET household = NULL WHERE person_id = @from", move);
        await Run("UPDATE interview_entries SET note = NULL WHERE person_id = @from", move);
        var fevers = await c.QueryAsync<(long Id, string Title)>(new CommandDefinition("SELECT id, title FROM tasks WHERE person_id = @from AND kind = 'fever'", move, tx, cancellationToken: ct));
        foreach (var (taskId, title) in fevers)
        {
            var decoded = TaskTitle.Decode(title);
            var args = decoded.Args.Select((a, i) => i == 0 ? a : "").ToArray();
            await Run("UPDATE tasks SET title = @title WHERE id = @taskId", new { taskId, title = (decoded with { Args = args }).Encode() });
        }
        var tasks = await Run("UPDATE tasks SET note = NULL, person_id = @to WHERE person_id = @from", move);

        // Then every link to the person moves to the pseudonym.
        var orders = await Run("UPDATE control_orders SET person_id = @to WHERE person_id = @from", move);
        await Run("UPDATE control_orders SET source_case_id = @to WHERE source_case_id = @from", move);
        await Run("UPDATE scheduled_tests SET person_id = @to WHERE person_id = @from", move);
        await Run("UPDATE health_checks SET person_id = @to WHERE person_id = @from", move);
        await Run("UPDATE room_stays SET person_id = @to WHERE person_id = @from", move);
        var contacts = await Run("UPDATE contacts SET person_id = @to WHERE person_id = @from", move);
        await Run("UPDATE contacts SET index_person_id = @to WHERE index_person_id = @from", move);
        await Run("UPDATE contacts SET via_person_id = @to WHERE via_person_id = @from", move);
        var exposures = await Run("UPDATE exposures SET person_id = @to WHERE person_id = @from AND end_at < @before", move);
        exposures += await Run("UPDATE exposures SET other_person_id = @to WHERE other_person_id = @from AND end_at < @before", move);
        await Run("UPDATE transport_legs SET person_id = @to WHERE person_id = @from AND arrival < @before", move);
        await Run("UPDATE interview_entries SET person_id = @to WHERE person_id = @from", move);
        var cases = await Run("UPDATE cases SET person_id = @to WHERE person_id = @from", move);
        await s.CommitAsync(ct);
        return new PseudonymizeCounts(1, orders, checks, tasks, contacts, exposures, cases);
    }
}
