using Dapper;

namespace Fangkong.Storage.Testing;

/// <summary>A tube as stored: its barcode, when it was sampled, where and in which round, and who is in it.</summary>
public sealed record StoredTube(int Id, string Key, long SampledAt, string? Site, string? Round, IReadOnlyCollection<int> Members);

/// <summary>One person's sample into a tube (a row of a samples file).</summary>
public sealed record TubeSample(string TubeKey, int PersonId, long SampledAt, string? Site, string? Round);

/// <summary>The tubes of mass testing and their members. A tube's first sample fixes its time, site and round.</summary>
public static class TubeRepository
{
    private sealed record TubeRow(int Id, string Key, long SampledAt, string? Site, string? Round);

    private sealed record MemberRow(int TubeId, int PersonId);

    private static readonly BulkTable<TubeRow> Tubes = BulkTable<TubeRow>.Of("tubes", "tube_key", updateOnConflict: false)
        .Int("id", t => t.Id).Text("tube_key", t => t.Key).Long("sampled_at", t => t.SampledAt).Text("site_key", t => t.Site).Text("round_key", t => t.Round);

    private static readonly BulkTable<MemberRow> Members = BulkTable<MemberRow>.Of("tube_members", "tube_id, person_id", updateOnConflict: false)
        .Int("tube_id", m => m.TubeId).Int("person_id", m => m.PersonId);

    /// <summary>Every tube with its members, by barcode.</summary>
    public static async Task<Dictionary<string, StoredTube>> LoadAllAsync(Database db, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var members = (await c.QueryAsync<(long Tube, long Person)>(new CommandDefinition("SELECT tube_id, person_id FROM tube_members", cancellationToken: ct)))
            .GroupBy(m => (int)m.Tube).ToDictionary(g => g.Key, g => (IReadOnlyCollection<int>)g.Select(m => (int)m.Person).ToHashSet());
        var tubes = await c.QueryAsync<(long Id, string Key, long SampledAt, string? Site, string? Round)>(new CommandDefinition(
            "SELECT id, tube_key, sampled_at, site_key, round_key FROM tubes", cancellationToken: ct));
        return tubes.ToDictionary(t => t.Key, t => new StoredTube((int)t.Id, t.Key, t.SampledAt, t.Site, t.Round, members.GetValueOrDefault((int)t.Id, [])), StringComparer.Ordinal);
    }

    /// <summary>A tube as a result needs it: when it was sampled, where, and the result it has (if any).</summary>
    public sealed record ResultedTube(int Id, string Key, long SampledAt, string? Site, string? Round, string? Result, long? TestedAt, string? Lab);

    /// <summary>Every tube without its members, by barcode: what a results file is checked against.</summary>
    public static async Task<Dictionary<string, ResultedTube>> LoadForResultsAsync(Database db, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var tubes = await c.QueryAsync<(long Id, string Key, long SampledAt, string? Site, string? Round, string? Result, long? TestedAt, string? Lab)>(new CommandDefinition(
            "SELECT id, tube_key, sampled_at, site_key, round_key, result, tested_at, lab_key FROM tubes", cancellationToken: ct));
        return tubes.ToDictionary(t => t.Key, t => new ResultedTube((int)t.Id, t.Key, t.SampledAt, t.Site, t.Round, t.Result, t.TestedAt, t.Lab), StringComparer.Ordinal);
    }

    /// <summary>
    /// The residents of an area (its code, and every township and community below it) with no sample taken
    /// in [<paramref name="from"/>, <paramref name="to"/>): whom the community workers still have to bring
    /// to a sampling site. Merged person records are not residents of their own.
    /// </summary>
    public static async Task<List<(string PersonKey, string Community)>> MissingAsync(Database db, string area, long from, long to, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<(string Key, string Community)>(new CommandDefinition("""
            SELECT p.person_key, p.community_code FROM persons p
            WHERE p.merged_into IS NULL AND p.community_code LIKE @prefix
              AND NOT EXISTS (SELECT 1 FROM tube_members m JOIN tubes t ON t.id = m.tube_id
                              WHERE m.person_id = p.id AND t.sampled_at >= @from AND t.sampled_at < @to)
            ORDER BY p.person_key
            """, new { prefix = area + "%", from, to }, cancellationToken: ct));
        return [.. rows];
    }

    /// <summary>
    /// Stores the samples in the caller's transaction: a new barcode becomes a tube (with the time, site
    /// and round of its first sample), and each person joins their tube once. Returns how many people
    /// joined a tube (0 when every sample was stored before).
    /// </summary>
    public static async Task<long> AddAsync(StoreSession s, IReadOnlyList<TubeSample> samples, CancellationToken ct = default)
    {
        var known = (await s.Connection.QueryAsync<(long Id, string Key)>(new CommandDefinition(
            "SELECT id, tube_key FROM tubes", transaction: s.Transaction, cancellationToken: ct))).ToDictionary(t => t.Key, t => (int)t.Id, StringComparer.Ordinal);
        var next = known.Count == 0 ? 1 : known.Values.Max() + 1;
        var added = new List<TubeRow>();
        foreach (var sample in samples)
        {
            if (!known.ContainsKey(sample.TubeKey))
            {
                known[sample.TubeKey] = next;
                added.Add(new TubeRow(next++, sample.TubeKey, sample.SampledAt, sample.Site, sample.Round));
            }
        }
        await BulkWriter.UpsertAsync(s, Tubes, added, ct);
        var joined = await BulkWriter.UpsertAsync(s, Members, samples.Select(x => new MemberRow(known[x.TubeKey], x.PersonId)).Distinct(), ct);
        await ResampledAsync(s, ct);
        return joined;
    }

    /// <summary>
    /// Closes the re-sampling tasks of people now sampled alone in a tube taken after the tube that asked
    /// for it (单采复核): the community's work is done; the result decides what follows.
    /// </summary>
    private static Task<int> ResampledAsync(StoreSession s, CancellationToken ct) => s.Connection.ExecuteAsync(new CommandDefinition("""
        UPDATE tasks SET status = 'done', done_at = @now, done_by = 'system', version = version + 1
        WHERE kind = 'resample' AND status = 'open' AND EXISTS (
            SELECT 1 FROM tube_members m JOIN tubes t ON t.id = m.tube_id
            WHERE m.person_id = tasks.person_id
              AND t.sampled_at > (SELECT a.sampled_at FROM tubes a WHERE a.id = tasks.source_id)
              AND (SELECT COUNT(*) FROM tube_members o WHERE o.tube_id = t.id) = 1)
        """, new { now = s.Db.Now }, s.Transaction, cancellationToken: ct));
}
