namespace Fangkong.Tracing;

/// <summary>Contact tiers, highest first: a person who qualifies for several gets the highest.</summary>
public enum ContactTier
{
    Close,
    Secondary,

    /// <summary>Grid co-presence (时空伴随者): a stay in the same operator grid cell as a case, longer than the policy's minimum.</summary>
    Grid,
    General,
}

/// <summary>The tiers as stored and written: close, secondary, general.</summary>
public static class ContactTiers
{
    public static string ToCode(this ContactTier tier) => tier switch
    {
        ContactTier.Close => "close",
        ContactTier.Secondary => "secondary",
        ContactTier.Grid => "grid",
        _ => "general",
    };

    /// <summary>The tier of a stored code; anything else is general.</summary>
    public static ContactTier ParseStored(string code) => code switch
    {
        "close" => ContactTier.Close,
        "secondary" => ContactTier.Secondary,
        "grid" => ContactTier.Grid,
        _ => ContactTier.General,
    };
}

/// <summary>
/// One contact with the evidence that classified it: the case whose chain reached the contact, the
/// close contact in between (secondary contacts only), the venue (none for a manual exposure) and
/// the qualifying overlap [Start, End) in Unix seconds — the first one in time. A general contact
/// (一般接触者) shared a venue with a case inside its window for less than the minimum.
/// </summary>
public sealed record ContactFinding(int Person, ContactTier Tier, int IndexPerson, int? ViaPerson, int? Venue, long Start, long End)
{
    /// <summary>For a contact on a flight, train or coach: the trip and seat evidence, e.g. <c>flight CA1234 row 12</c>.</summary>
    public string? Transport { get; init; }

    /// <summary>For a grid co-presence contact: the internal id of the grid cell shared with the case.</summary>
    public int? Cell { get; init; }

    /// <summary>
    /// The end of the latest qualifying overlap at this tier (the last exposure, from which control
    /// orders count their days); null means <see cref="End"/>.
    /// </summary>
    public long? LastExposureEnd { get; init; }

    /// <summary>The last exposure: the end of the latest qualifying overlap.</summary>
    public long LastExposure => LastExposureEnd ?? End;

    public long Minutes => (End - Start) / 60;
}

/// <summary>A case to trace from: its person and its tracing window.</summary>
public sealed record TraceCase(int Person, TracingWindow Window);

/// <summary>A manual exposure between two people over [Start, End] (household, workplace, meal…); symmetric.</summary>
public readonly record struct ManualExposure(int A, int B, long Start, long End);

/// <summary>
/// The operator's dwell records (时空伴随 input) as a tracing index: a grid cell takes a venue's place,
/// so the same day segments and probes serve both; with the policy's rule for grid co-presence.
/// </summary>
public sealed record GridStays(CheckinIndex Stays, Policies.GridRule Rule);
