namespace Fangkong.Staff;

/// <summary>The roles of SPEC 1. Staff are the owners of tasks and the monitors (包保责任人) of controlled people.</summary>
public enum StaffRole
{
    Commander,
    Investigator,
    ControlOfficer,
    TestingOfficer,
    CommunityWorker,
    CheckpointOfficer,
    VenueOperator,
    Auditor,
}

public static class StaffRoles
{
    public static string ToCode(this StaffRole r) => r switch
    {
        StaffRole.Commander => "commander",
        StaffRole.Investigator => "investigator",
        StaffRole.ControlOfficer => "control_officer",
        StaffRole.TestingOfficer => "testing_officer",
        StaffRole.CommunityWorker => "community_worker",
        StaffRole.CheckpointOfficer => "checkpoint_officer",
        StaffRole.VenueOperator => "venue_operator",
        _ => "auditor",
    };

    public static string ToChinese(this StaffRole r) => r switch
    {
        StaffRole.Commander => "指挥部",
        StaffRole.Investigator => "流调溯源组",
        StaffRole.ControlOfficer => "隔离转运组",
        StaffRole.TestingOfficer => "核酸检测组",
        StaffRole.CommunityWorker => "社区网格员",
        StaffRole.CheckpointOfficer => "卡口检查员",
        StaffRole.VenueOperator => "场所管理员",
        _ => "督查",
    };

    public static IReadOnlyList<string> Codes { get; } = Enum.GetValues<StaffRole>().Select(r => r.ToCode()).ToList();

    public static bool TryParse(string? text, out StaffRole role) => Fangkong.Codes.TryParse(text, ToCode, out role);
}
