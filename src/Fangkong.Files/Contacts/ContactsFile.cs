using Fangkong.Files.Csv;
using Fangkong.Time;
using Fangkong.Tracing;

namespace Fangkong.Files.Contacts;

/// <summary>A contact as written out: keys instead of internal ids, times in the deployment's zone.</summary>
public sealed record ContactRow(string PersonId, string Tier, string IndexPersonId, string? ViaPersonId, string? VenueId, string ExposureStart, string ExposureEnd, long Minutes, string? Transport)
{
    /// <summary>For a grid co-presence contact: the operator's key of the shared cell.</summary>
    public string? CellId { get; init; }
}

/// <summary>
/// The output of the batch tracing contract (SPEC 4.2): one row per contact with the columns
/// person_id, tier, index_person_id, via_person_id, venue_id, exposure_start, exposure_end;
/// close contacts first, then secondary, each in person_id order. General contacts are shown by the
/// investigator's commands but are not part of the contract file.
/// </summary>
public static class ContactsFile
{
    public static readonly string[] Columns = ["person_id", "tier", "index_person_id", "via_person_id", "venue_id", "exposure_start", "exposure_end"];

    /// <param name="cellKeys">The grid cells' keys, for grid co-presence contacts.</param>
    public static List<ContactRow> Rows(IEnumerable<ContactFinding> findings, IReadOnlyDictionary<int, string> personKeys, IReadOnlyDictionary<int, string> venueKeys, DeploymentCalendar calendar, IReadOnlyDictionary<int, string>? cellKeys = null) =>
        findings.Select(f => new ContactRow(
                personKeys[f.Person],
                f.Tier.ToCode(),
                personKeys[f.IndexPerson],
                f.ViaPerson is { } via ? personKeys[via] : null,
                f.Venue is { } v ? venueKeys[v] : null,
                calendar.Format(f.Start),
                calendar.Format(f.End),
                f.Minutes,
                f.Transport) { CellId = f.Cell is { } cell && cellKeys is not null ? cellKeys[cell] : null })
            .OrderBy(r => r.Tier switch { "close" => 0, "secondary" => 1, "grid" => 2, _ => 3 }).ThenBy(r => r.PersonId, StringComparer.Ordinal)
            .ToList();

    /// <summary>Writes the contract file: close and secondary contacts only (general contacts are not part of SPEC 4.2).</summary>
    public static void Write(string path, IEnumerable<ContactRow> rows)
    {
        using var output = new CsvOutput(path);
        output.Row(Columns);
        foreach (var r in rows.Where(r => r.Tier is "close" or "secondary"))
        {
            output.Row(r.PersonId, r.Tier, r.IndexPersonId, r.ViaPersonId, r.VenueId, r.ExposureStart, r.ExposureEnd);
        }
    }
}

/// <summary>
/// The grid co-presence file of <c>trace --grid-out</c> (时空伴随者): one row per grid contact with the
/// columns person_id, index_person_id, cell_id, exposure_start, exposure_end (the earliest qualifying
/// overlap), in person_id order; the header alone when there is none.
/// </summary>
public static class GridContactsFile
{
    public static readonly string[] Columns = ["person_id", "index_person_id", "cell_id", "exposure_start", "exposure_end"];

    public static void Write(string path, IEnumerable<ContactRow> rows)
    {
        using var output = new CsvOutput(path);
        output.Row(Columns);
        foreach (var r in rows.Where(r => r.Tier == "grid").OrderBy(r => r.PersonId, StringComparer.Ordinal))
        {
            output.Row(r.PersonId, r.IndexPersonId, r.CellId, r.ExposureStart, r.ExposureEnd);
        }
    }
}
