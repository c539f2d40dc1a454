using System.Data.Common;
using Dapper;
using Fangkong.Jurisdictions;

namespace Fangkong.Storage.Control;

/// <summary>
/// Chooses a monitor (包保责任人) for a person: an active community worker of the person's own
/// community if there is one, else of the nearest division above it; the least loaded among them.
/// </summary>
internal sealed class MonitorPicker
{
    private readonly Dictionary<string, List<long>> _byJurisdiction;
    private readonly Dictionary<long, int> _load;

    private MonitorPicker(Dictionary<string, List<long>> byJurisdiction, Dictionary<long, int> load)
    {
        _byJurisdiction = byJurisdiction;
        _load = load;
    }

    public static async Task<MonitorPicker> LoadAsync(DbConnection c, DbTransaction tx, CancellationToken ct)
    {
        var workers = await c.QueryAsync<(long Id, string Jurisdiction)>(new CommandDefinition(
            "SELECT id, jurisdiction_code FROM staff WHERE role = 'community_worker' AND active = 1 ORDER BY id", transaction: tx, cancellationToken: ct));
        var load = (await c.QueryAsync<(long Monitor, long Count)>(new CommandDefinition(
            "SELECT monitor_id, COUNT(*) FROM control_orders WHERE active = 1 AND monitor_id IS NOT NULL GROUP BY monitor_id", transaction: tx, cancellationToken: ct)))
            .ToDictionary(x => x.Monitor, x => (int)x.Count);
        var byJurisdiction = workers.GroupBy(w => w.Jurisdiction, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(w => w.Id).ToList(), StringComparer.Ordinal);
        return new MonitorPicker(byJurisdiction, load);
    }

    public long? Pick(string home)
    {
        if (!JurisdictionCode.TryParse(home, out var code, out _))
        {
            return null;
        }
        for (JurisdictionCode? at = code; at is { } j; at = j.Parent)
        {
            if (_byJurisdiction.TryGetValue(j.Value, out var ids))
            {
                var best = ids.MinBy(id => _load.GetValueOrDefault(id));
                _load[best] = _load.GetValueOrDefault(best) + 1;
                return best;
            }
        }
        return null;
    }
}
