namespace Fangkong.Control;

/// <summary>
/// The named groups of loop steps that screens, queries and rules share, defined once. SQL takes its
/// status lists from here (<see cref="Sql"/>), so a new step is placed in its groups in one file.
/// </summary>
public static class StatusSets
{
    /// <summary>Not yet on the way: the measure may still change and a site may still be chosen (已判定, 已告知).</summary>
    public static readonly IReadOnlyList<ControlStatus> BeforeTransfer = [ControlStatus.Identified, ControlStatus.Notified];

    /// <summary>A centralized order not yet handed over at its site: its transfer deadline runs (已判定 … 转运中, and 失联).</summary>
    public static readonly IReadOnlyList<ControlStatus> AwaitingHandOver =
        [ControlStatus.Identified, ControlStatus.Notified, ControlStatus.TransferDispatched, ControlStatus.Lost];

    /// <summary>The order is closed: nothing more happens to it.</summary>
    public static readonly IReadOnlyList<ControlStatus> Closed = [ControlStatus.Released, ControlStatus.ConvertedToCase];

    /// <summary>True for an order that waits for a quarantine room: centralized and not yet on the way (the room is chosen before the transfer).</summary>
    public static bool AwaitingRoom(ControlMeasure measure, ControlStatus status) => measure.IsCentralized() && BeforeTransfer.Contains(status);

    /// <summary>The set as a SQL list of codes, e.g. <c>'identified', 'notified'</c>.</summary>
    public static string Sql(IEnumerable<ControlStatus> set) => string.Join(", ", set.Select(s => $"'{s.ToCode()}'"));
}
