using Fangkong.Cases;
using Fangkong.Policies;
using Fangkong.Storage.Cases;
using Fangkong.Storage.Contacts;
using Fangkong.Storage.Tracing;
using Fangkong.Storage;
using Fangkong.Tracing;

namespace Fangkong.Web.Tracing;

/// <summary>
/// A case's contacts as the page and the API show them: counts by tier and the first of each tier.
/// <paramref name="Tracing"/> is set while a re-trace runs behind the answer; the contacts are then the
/// case's own, traced alone from the index in memory in <paramref name="TracedIn"/>.
/// </summary>
public sealed record CaseContactsNow(IReadOnlyDictionary<string, long> Counts, IReadOnlyList<StoredContact> Contacts, TraceRequestState? Tracing, TimeSpan? TracedIn);

/// <summary>
/// Where a case's contacts are read from. Stored contacts are the last full trace's; while a re-trace
/// asked for is still running (a case just confirmed, recorded or reclassified), they are about to change,
/// so the case is traced alone from the index in memory (<see cref="LiveStays"/>): under a second at a
/// million people, where the full trace and its orders take minutes. The case's itinerary is read from
/// the same index, not from the days of the check-in store.
/// </summary>
public sealed class CaseContacts(Database db, PolicyProfile policy, LiveStays live)
{
    /// <summary>The case's movements in its tracing window, its check-ins from the index in memory.</summary>
    public Task<List<ItineraryStop>> ItineraryAsync(StoredCase found, CancellationToken ct) =>
        Itinerary.LoadAsync(db, found, policy, live, ct);

    public async Task<CaseContactsNow> FirstOfEachTierAsync(StoredCase found, int perTier, CancellationToken ct)
    {
        if (await TraceRequests.StateAsync(db, ct) is { Pending: true } pending && found.Classification.CountsAsCase())
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var traced = await TraceData.TraceOneCaseAsync(db, policy, db.Now, live, found.PersonId, ct);
            var took = watch.Elapsed;
            var counts = traced.GroupBy(f => f.Tier.ToCode()).ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal);
            var first = traced.GroupBy(f => f.Tier).OrderBy(g => g.Key)
                .SelectMany(g => g.OrderBy(f => f.Person).Take(perTier))
                .Select(f => new StoredContact(f, policy.Id, policy.Version, db.Now)).ToList();
            return new CaseContactsNow(counts, first, pending, took);
        }
        // A case can have hundreds of thousands of secondary contacts: the first of each tier, and a link to the full list.
        return new CaseContactsNow(await ContactRepository.CountByTierAsync(db, found.PersonId, ct),
            await ContactRepository.FirstOfEachTierAsync(db, found.PersonId, perTier, ct), null, null);
    }
}
