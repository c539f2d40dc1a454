using Fangkong.Jurisdictions;
using Fangkong.Policies;
using Fangkong.Storage.Policies;
using Fangkong.Storage;

namespace Fangkong.Application.Policies;

/// <summary>
/// The policy profile in force (SPEC 3: chosen per deployment, overridable per jurisdiction): the
/// deepest jurisdiction override that contains the place, else the store's choice, else the built-in
/// default <see cref="Default"/>. Commands that take <c>--policy</c> use that instead.
/// </summary>
public sealed class StorePolicy(Database db, PolicyCatalog catalog)
{
    /// <summary>The profile of a store where none was chosen.</summary>
    public const string Default = "cn-v8-2021";

    public PolicyCatalog Catalog => catalog;

    /// <summary>The store's own choice (for the whole region).</summary>
    public async Task<PolicyProfile> CurrentAsync(CancellationToken ct = default) =>
        catalog.Get((await PolicySettings.LoadAsync(db, ct)).GetValueOrDefault("", Default));

    /// <summary>The profile for a record of <paramref name="community"/>: the deepest override containing it, else the store's choice.</summary>
    public async Task<PolicyProfile> ForAsync(string? community, CancellationToken ct = default)
    {
        var settings = await PolicySettings.LoadAsync(db, ct);
        // The deepest division's choice wins: its code prefix is the longest.
        var best = settings
            .Select(s => (Code: JurisdictionCode.TryParse(s.Key, out var j, out _) ? j : (JurisdictionCode?)null, Profile: s.Value))
            .Where(s => s.Code is { Level: not JurisdictionLevel.Province } j && Scope.Contains(j, community))
            .OrderByDescending(s => Scope.Prefix(s.Code!.Value).Length)
            .Select(s => s.Profile).FirstOrDefault();
        return catalog.Get(best ?? settings.GetValueOrDefault("", Default));
    }

    /// <summary>Every choice made: the store's (key "") and each jurisdiction's.</summary>
    public Task<IReadOnlyDictionary<string, string>> ChoicesAsync(CancellationToken ct = default) => PolicySettings.LoadAsync(db, ct);

    /// <summary>Chooses a profile for the store or a jurisdiction; refuses an unknown profile (the catalog names the known ones).</summary>
    public async Task UseAsync(string profileId, JurisdictionCode? jurisdiction, CancellationToken ct = default)
    {
        var profile = catalog.Get(profileId);
        await PolicySettings.SetAsync(db, jurisdiction is { Level: not JurisdictionLevel.Province } j ? j.Value : null, profile.Id, ct);
    }
}
