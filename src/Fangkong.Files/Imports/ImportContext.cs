using Fangkong.Jurisdictions;
using Fangkong.Storage.Checkins;
using Fangkong.Storage.Jurisdictions;
using Fangkong.Storage.People;
using Fangkong.Storage.Venues;
using Fangkong.Storage;

namespace Fangkong.Files.Imports;

/// <summary>What an import needs from the store, loaded once: key directories and known jurisdictions.</summary>
public sealed class ImportContext(Database db)
{
    public Database Db { get; } = db;

    /// <summary>
    /// The importing user's jurisdiction (属地), or null for the whole region. A scoped import sees only
    /// the people and venues inside it: rows about anyone or anything else are refused, and the store
    /// answers nothing about them (not even that an ID number is registered elsewhere).
    /// </summary>
    public JurisdictionCode? Within { get; init; }

    /// <summary>Keys of people outside <see cref="Within"/> (filled by <see cref="PersonKeysAsync"/>).</summary>
    public HashSet<string> OutsidePeople { get; } = new(StringComparer.Ordinal);

    /// <summary>Keys of venues outside <see cref="Within"/> (filled by <see cref="VenueKeysAsync"/>).</summary>
    public HashSet<string> OutsideVenues { get; } = new(StringComparer.Ordinal);

    /// <summary>True when a record of <paramref name="community"/> may be imported by this user.</summary>
    public bool InScope(string? community) => Within is not { } w || Scope.Contains(w, community);

    public async Task<KeyDirectory> PersonKeysAsync(CancellationToken ct)
    {
        // Only a scoped import needs to know where each person lives; otherwise the keys alone are read.
        var people = Within is null
            ? (await PersonRepository.LoadKeysForTracingAsync(Db, ct)).Select(p => (p.Id, p.Key, p.MergedInto, Community: (string?)null)).ToList()
            : (await PersonRepository.LoadAllAsync(Db, ct)).Select(p => (p.Id, Key: p.Person.PersonKey, p.MergedInto, Community: p.Person.CommunityCode)).ToList();
        var merged = people.Where(p => p.MergedInto is not null).ToDictionary(p => p.Id, p => p.MergedInto!.Value);
        int Canonical(int id)
        {
            for (var hops = 0; merged.TryGetValue(id, out var next) && hops < 100; hops++)
            {
                id = next;
            }
            return id;
        }
        var keys = new KeyDirectory();
        var community = Within is null ? null : people.ToDictionary(p => p.Id, p => p.Community);
        void Add(string key, int id)
        {
            var canonical = Canonical(id);
            if (community is null || InScope(community.GetValueOrDefault(canonical)))
            {
                keys.Set(key, canonical);
            }
            else
            {
                OutsidePeople.Add(key);
            }
        }
        foreach (var p in people)
        {
            Add(p.Key, p.Id);
        }
        foreach (var (key, id) in await PersonRepository.LoadKeysAsync(Db, ct))
        {
            Add(key, id);
        }
        return keys;
    }

    public async Task<KeyDirectory> VenueKeysAsync(CancellationToken ct)
    {
        var keys = new KeyDirectory();
        foreach (var v in await VenueRepository.LoadAllAsync(Db, ct))
        {
            if (InScope(v.Venue.CommunityCode))
            {
                keys.Set(v.Venue.VenueKey, v.Id);
            }
            else
            {
                OutsideVenues.Add(v.Venue.VenueKey);
            }
        }
        return keys;
    }

    public async Task<HashSet<string>> JurisdictionCodesAsync(CancellationToken ct) =>
        (await JurisdictionRepository.LoadAllAsync(Db, ct)).Select(j => j.Code.Value).ToHashSet(StringComparer.Ordinal);

    public Task<ICheckinStore> CheckinStoreAsync(CancellationToken ct) => CheckinStores.OpenAsync(Db, ct);
}
