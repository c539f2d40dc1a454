namespace Fangkong.Control;

/// <summary>Where a person is in the closed loop (全程闭环). Every step is stored with a time and an actor.</summary>
public enum ControlStatus
{
    Identified,
    Notified,
    TransferDispatched,
    Arrived,
    UnderControl,
    Released,
    ConvertedToCase,
    Lost,
}

/// <summary>The loop's transitions. Anything else is refused with the reason.</summary>
public static class ControlLoop
{
    public static string ToCode(this ControlStatus s) => s switch
    {
        ControlStatus.Identified => "identified",
        ControlStatus.Notified => "notified",
        ControlStatus.TransferDispatched => "transfer_dispatched",
        ControlStatus.Arrived => "arrived",
        ControlStatus.UnderControl => "under_control",
        ControlStatus.Released => "released",
        ControlStatus.ConvertedToCase => "converted_to_case",
        _ => "lost",
    };

    public static string ToChinese(this ControlStatus s) => s switch
    {
        ControlStatus.Identified => "已判定",
        ControlStatus.Notified => "已告知",
        ControlStatus.TransferDispatched => "转运中",
        ControlStatus.Arrived => "已到达",
        ControlStatus.UnderControl => "管控中",
        ControlStatus.Released => "已解除",
        ControlStatus.ConvertedToCase => "转为病例",
        _ => "失联",
    };

    public static bool TryParse(string? text, out ControlStatus status) => Codes.TryParse(text, ToCode, out status);

    public static ControlStatus Parse(string text) =>
        TryParse(text, out var s) ? s : throw new FormatException($"'{text}' is not a control status.");

    /// <summary>True when the order is closed: nothing more happens to it.</summary>
    public static bool IsClosed(this ControlStatus s) => s is ControlStatus.Released or ControlStatus.ConvertedToCase;

    /// <summary>
    /// Null when <paramref name="from"/> → <paramref name="to"/> is a valid step for an order under
    /// <paramref name="measure"/>; otherwise the reason it is refused.
    /// </summary>
    public static string? Refusal(ControlStatus from, ControlStatus to, ControlMeasure measure)
    {
        if (from.IsClosed())
        {
            return $"the order is already {from.ToCode()}; nothing can follow";
        }
        if (to == from)
        {
            return $"the order is already {from.ToCode()}";
        }
        var centralized = measure.IsCentralized();
        var ok = (from, to) switch
        {
            (_, ControlStatus.ConvertedToCase) => true,
            (not ControlStatus.Lost, ControlStatus.Lost) => true,
            (ControlStatus.Lost, ControlStatus.Notified) => true,
            (ControlStatus.Identified, ControlStatus.Notified) => true,
            (ControlStatus.Notified, ControlStatus.TransferDispatched) => centralized,
            (ControlStatus.Notified, ControlStatus.UnderControl) => !centralized,
            (ControlStatus.TransferDispatched, ControlStatus.Arrived) => true,
            (ControlStatus.Arrived, ControlStatus.UnderControl) => true,
            (ControlStatus.UnderControl, ControlStatus.Released) => true,
            _ => false,
        };
        if (ok)
        {
            return null;
        }
        var next = Next(from, measure);
        var hint = next.Count == 0 ? "" : $"; next can be {string.Join(" or ", next.Select(n => n.ToCode()))}";
        return (from, to, centralized) switch
        {
            (ControlStatus.Notified, ControlStatus.TransferDispatched, false) => $"a {measure.ToCode()} order has no transfer{hint}",
            (ControlStatus.Notified, ControlStatus.UnderControl, true) => $"centralized quarantine needs the transfer and the hand-over at the site first{hint}",
            (_, ControlStatus.Released, _) => $"release needs the person under control first (now {from.ToCode()}){hint}",
            _ => $"{from.ToCode()} → {to.ToCode()} is not a step of the loop{hint}",
        };
    }

    /// <summary>The regular next steps (conversion to case and lost are always possible).</summary>
    public static IReadOnlyList<ControlStatus> Next(ControlStatus from, ControlMeasure measure) => from switch
    {
        ControlStatus.Identified => [ControlStatus.Notified],
        ControlStatus.Notified => [measure.IsCentralized() ? ControlStatus.TransferDispatched : ControlStatus.UnderControl],
        ControlStatus.TransferDispatched => [ControlStatus.Arrived],
        ControlStatus.Arrived => [ControlStatus.UnderControl],
        ControlStatus.UnderControl => [ControlStatus.Released],
        ControlStatus.Lost => [ControlStatus.Notified],
        _ => [],
    };
}
