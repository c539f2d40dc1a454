using Fangkong.Storage;
using Fangkong.Storage.Checkins;
using Fangkong.Storage.Jurisdictions;
using Fangkong.Storage.People;
using Fangkong.Storage.Venues;

namespace Fangkong.Files.Imports;

/// <summary>What an import needs from the store, loaded once: key directories and known jurisdictions.</summary>
public sealed class ImportContext(Database db)
{
    public Database Db { get; } = db;

    public async Task<KeyDirectory> PersonKeysAsync(CancellationToken ct)
    {
        var people = await PersonRepository.LoadAllAsync(Db, ct);
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
        foreach (var p in people)
        {
            keys.Set(p.Person.PersonKey, Canonical(p.Id));
        }
        foreach (var (key, id) in await PersonRepository.LoadKeysAsync(Db, ct))
        {
            keys.Set(key, Canonical(id));
        }
        return keys;
    }

    public async Task<KeyDirectory> VenueKeysAsync(CancellationToken ct)
    {
        var keys = new KeyDirectory();
        foreach (var v in await VenueRepository.LoadAllAsync(Db, ct))
        {
            keys.Set(v.Venue.VenueKey, v.Id);
        }
        return keys;
    }

    public async Task<HashSet<string>> JurisdictionCodesAsync(CancellationToken ct) =>
        (await JurisdictionRepository.LoadAllAsync(Db, ct)).Select(j => j.Code.Value).ToHashSet(StringComparer.Ordinal);

    public Task<ICheckinStore> CheckinStoreAsync(CancellationToken ct) => CheckinStores.OpenAsync(Db, ct);
}
