using Fangkong.Jurisdictions;

namespace Fangkong.Tasks;

/// <summary>
/// Escalation of overdue tasks up the jurisdiction chain (community → county → city → region) after
/// the policy's delays (属地责任: the level above answers when the level below has not acted).
/// </summary>
public static class TaskEscalation
{
    /// <summary>The owner jurisdiction at an escalation level, from the task's home jurisdiction.</summary>
    public static JurisdictionCode OwnerAt(JurisdictionCode home, int level)
    {
        var target = level switch
        {
            0 => (JurisdictionLevel?)null,
            1 => JurisdictionLevel.County,
            2 => JurisdictionLevel.City,
            _ => JurisdictionLevel.Province,
        };
        return target is { } t ? home.Up(t) : home;
    }
}
