using Fangkong.Jurisdictions;
using Fangkong.Policies;

namespace Fangkong.Tasks;

/// <summary>
/// Escalation of overdue tasks up the jurisdiction chain (community → county → city → region) after
/// the policy's delays (属地责任: the level above answers when the level below has not acted).
/// </summary>
public static class TaskEscalation
{
    /// <summary>The escalation level a task should have reached: 0 none, 1 county, 2 city, 3 region.</summary>
    public static int LevelFor(EscalationRule rule, long dueAt, long now)
    {
        if (now <= dueAt)
        {
            return 0;
        }
        var hours = (now - dueAt) / 3600.0;
        return hours >= rule.Region ? 3 : hours >= rule.City ? 2 : hours >= rule.County ? 1 : 0;
    }

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
        if (target is null)
        {
            return home;
        }
        var code = home;
        while (code.Level > target && code.Parent is { } parent)
        {
            code = parent;
        }
        return code;
    }
}
