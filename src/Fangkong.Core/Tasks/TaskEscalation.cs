using Fangkong.Jurisdictions;

namespace Fangkong.Tasks;

/// <summary>
/// Escalation of overdue tasks up the jurisdiction chain (community → county → city → region) after
/// the policy's delays (属地责任: the level above answers when the level below has not acted).
/// </summary>
public static class TaskEscalation
{
    /// <summary>The highest level: the region answers.</summary>
    public const int Top = 3;

    /// <summary>The division that answers at an escalation level: 1 the county, 2 the city, 3 the region (0: the task's own home).</summary>
    public static JurisdictionLevel? LevelAt(int level) => level switch
    {
        <= 0 => null,
        1 => JurisdictionLevel.County,
        2 => JurisdictionLevel.City,
        _ => JurisdictionLevel.Province,
    };

    /// <summary>The hours overdue after which a task reaches <paramref name="level"/>, from the policy.</summary>
    public static int HoursFor(Policies.EscalationRule rule, int level) => level switch
    {
        1 => rule.County,
        2 => rule.City,
        _ => rule.Region,
    };

    /// <summary>The owner jurisdiction at an escalation level, from the task's home jurisdiction.</summary>
    public static JurisdictionCode OwnerAt(JurisdictionCode home, int level) => LevelAt(level) is { } t ? home.Up(t) : home;

    /// <summary><see cref="OwnerAt"/> in SQL, from a column holding the home jurisdiction's code (a division keeps its code's prefix and pads it with zeros).</summary>
    public static string OwnerSql(string homeColumn, int level) => LevelAt(level) switch
    {
        JurisdictionLevel.Province => $"substr({homeColumn}, 1, 2) || '0000'",
        JurisdictionLevel.City => $"substr({homeColumn}, 1, 4) || '00'",
        JurisdictionLevel.County => $"substr({homeColumn}, 1, 6)",
        _ => homeColumn,
    };
}
