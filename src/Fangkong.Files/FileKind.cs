namespace Fangkong.Files;

/// <summary>The files of SPEC 4.1, plus the jurisdiction list that extends the built-in tree and the journeys on transport.</summary>
public enum FileKind
{
    Persons,
    Venues,
    Checkins,
    Exposures,
    Cases,
    Jurisdictions,
    Transport,

    /// <summary>The mobile operator's dwell records in grid cells (时空伴随).</summary>
    GridStays,

    /// <summary>Mass-testing samples: rows sharing a tube are one pool (核酸混采).</summary>
    Samples,

    /// <summary>Members of the key groups of routine testing (重点人群).</summary>
    KeyGroups,

    /// <summary>Lab results by tube (核酸检测结果): a positive pool's members are held and re-sampled.</summary>
    Results,
}

/// <summary>The columns of each file, exactly as SPEC 4.1 names them; required ones first.</summary>
public static class FileColumns
{
    public static (string[] Required, string[] Optional) For(FileKind kind) => kind switch
    {
        FileKind.Persons => (["person_id"], ["id_type", "id_number", "name", "sex", "birth_date", "phone", "community_code", "address"]),
        FileKind.Venues => (["venue_id", "type"], ["name", "community_code", "capacity", "enclosed"]),
        FileKind.Checkins => (["person_id", "venue_id", "check_in", "check_out"], []),
        FileKind.Exposures => (["person_id", "other_person_id", "setting", "start", "end"], []),
        FileKind.Cases => (["person_id", "classification", "report_time"], ["onset_date", "sampling_time", "isolation_time"]),
        FileKind.Jurisdictions => (["code", "name"], ["parent_code", "population"]),
        FileKind.Transport => (["person_id", "mode", "number", "departure", "arrival"], ["car", "row", "seat"]),
        FileKind.GridStays => (["person_id", "cell_id", "start", "end"], []),
        FileKind.Samples => (["tube_id", "person_id", "sampled_at"], ["site_id", "round_id"]),
        FileKind.KeyGroups => (["person_id", "group"], ["frequency_days"]),
        FileKind.Results => (["tube_id", "result", "tested_at"], ["lab_id"]),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>The column order of an export: SPEC 4.1's order.</summary>
    public static string[] ExportOrder(FileKind kind) => kind switch
    {
        FileKind.Persons => ["person_id", "id_type", "id_number", "name", "sex", "birth_date", "phone", "community_code", "address"],
        FileKind.Venues => ["venue_id", "name", "type", "community_code", "capacity", "enclosed"],
        FileKind.Cases => ["person_id", "classification", "onset_date", "sampling_time", "report_time", "isolation_time"],
        FileKind.Jurisdictions => ["code", "name", "parent_code", "population"],
        _ => [.. For(kind).Required, .. For(kind).Optional],
    };

    public static bool TryParseKind(string text, out FileKind kind) =>
        Enum.TryParse(text, ignoreCase: true, out kind) && !int.TryParse(text, out _);
}
