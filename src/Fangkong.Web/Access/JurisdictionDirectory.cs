using Fangkong.Storage;
using Fangkong.Storage.Jurisdictions;

namespace Fangkong.Web.Access;

/// <summary>Names of the jurisdictions by code, read from the store and kept for a minute (divisions change only by import).</summary>
public sealed class JurisdictionDirectory(Database db, TimeProvider clock)
{
    private static readonly TimeSpan Freshness = TimeSpan.FromMinutes(1);
    private IReadOnlyDictionary<string, string>? _names;
    private DateTimeOffset _loaded;

    public async Task<IReadOnlyDictionary<string, string>> NamesAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (_names is null || now - _loaded > Freshness)
        {
            _names = (await JurisdictionRepository.LoadAllAsync(db, ct)).ToDictionary(j => j.Code.Value, j => j.Name);
            _loaded = now;
        }
        return _names;
    }

    /// <summary>"County name · community name" for a person's community; the code itself when unknown.</summary>
    public async Task<string> DescribeAsync(string? community, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(community))
        {
            return "";
        }
        var names = await NamesAsync(ct);
        var county = community.Length > 6 && names.TryGetValue(community[..6], out var c) ? c + " · " : "";
        return county + names.GetValueOrDefault(community, community);
    }
}
