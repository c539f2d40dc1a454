using System.Globalization;
using Fangkong.Files.Csv;
using Fangkong.Storage.Venues;
using Fangkong.Venues;

namespace Fangkong.Files.Imports;

/// <summary>Imports venues: a known venue_id updates the venue, an unknown one adds it.</summary>
internal sealed class VenueImport : FileImport<StoredVenue>
{
    private readonly Dictionary<string, StoredVenue> _byKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StoredVenue> _changed = new(StringComparer.Ordinal);
    private HashSet<string> _jurisdictions = [];
    private int _nextId;

    public override async Task PrepareAsync(ImportContext context, CsvSource source, CancellationToken ct)
    {
        var all = await VenueRepository.LoadAllAsync(context.Db, ct);
        foreach (var v in all)
        {
            _byKey[v.Venue.VenueKey] = v;
        }
        _nextId = all.Count == 0 ? 1 : all.Max(v => v.Id) + 1;
        _jurisdictions = await context.JurisdictionCodesAsync(ct);
        _context = context;
    }

    private ImportContext _context = null!;

    public override StoredVenue? Parse(CsvSource row, List<RowError> errors)
    {
        var line = row.Line + 1;
        var before = errors.Count;
        var key = row.Text("venue_id");
        if (key is null)
        {
            errors.Add(new RowError(line, "venue_id", "is empty") { Code = "empty" });
        }
        var type = row.Text("type");
        if (type is null)
        {
            errors.Add(new RowError(line, "type", $"is empty (e.g. {string.Join(", ", VenueTypes.Known.Keys.Take(6))})") { Code = "empty" });
        }
        else if (!VenueTypes.IsValid(type))
        {
            errors.Add(new RowError(line, "type", $"'{type}' is not a venue type (at most 40 characters)") { Code = "venueType", Args = [type] });
        }
        _byKey.TryGetValue(key ?? "", out var existing);
        var community = row.Has("community_code") ? row.Text("community_code") : existing?.Venue.CommunityCode;
        if (community is not null && row.Has("community_code"))
        {
            PersonImport.CheckCommunity(line, community, _jurisdictions, errors);
        }
        if (existing is not null && !_context.InScope(existing.Venue.CommunityCode))
        {
            errors.Add(new RowError(line, "venue_id", $"'{key}' stands outside your jurisdiction") { Code = "venueOutside", Args = [key ?? ""] });
        }
        else if (!_context.InScope(community))
        {
            errors.Add(new RowError(line, "community_code", $"{community ?? "(empty)"} is outside your jurisdiction") { Code = "communityOutside", Args = [community ?? ""] });
        }
        int? capacity = existing?.Venue.Capacity;
        if (row.Has("capacity"))
        {
            var c = row.Text("capacity");
            capacity = null;
            if (c is not null)
            {
                if (int.TryParse(c, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                {
                    capacity = n;
                }
                else
                {
                    errors.Add(new RowError(line, "capacity", $"'{c}' is not a whole number ≥ 0") { Code = "notCount", Args = [c] });
                }
            }
        }
        bool? enclosed = existing?.Venue.Enclosed;
        if (row.Has("enclosed"))
        {
            var e = row.Text("enclosed");
            enclosed = e?.ToLowerInvariant() switch
            {
                null => null,
                "true" or "1" => true,
                "false" or "0" => false,
                _ => null,
            };
            if (e is not null && enclosed is null)
            {
                errors.Add(new RowError(line, "enclosed", $"'{e}' is not true or false") { Code = "notBoolean", Args = [e] });
            }
        }
        if (errors.Count > before)
        {
            return null;
        }
        var venue = new Venue(key!, row.Has("name") ? row.Text("name") : existing?.Venue.Name, type!, community, capacity, enclosed);
        if (existing is not null && existing.Venue == venue)
        {
            return existing;
        }
        var stored = new StoredVenue(existing?.Id ?? _nextId++, venue);
        _byKey[key!] = stored;
        _changed[key!] = stored;
        return stored;
    }

    public override Task<long> WriteAsync(ImportContext context, IReadOnlyList<StoredVenue> rows, string fileName, string fingerprint, long rowsInFile, long rejected, CancellationToken ct) =>
        InSessionAsync(context, s => VenueRepository.UpsertAsync(s, _changed.Values.OrderBy(v => v.Id), ct), "venues", fileName, fingerprint, rowsInFile, rejected, ct);
}
