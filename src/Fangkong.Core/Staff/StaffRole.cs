namespace Fangkong.Staff;

/// <summary>
/// The roles of SPEC 1. Staff are the owners of tasks and the monitors (包保责任人) of controlled people;
/// <see cref="Person"/> (群众) is a member of the public who signs in to see their own record.
/// </summary>
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
    Person,
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
        StaffRole.Person => "person",
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
        StaffRole.Person => "群众",
        _ => "督查",
    };

    /// <summary>Every role an account can have.</summary>
    public static IReadOnlyList<string> Codes { get; } = Enum.GetValues<StaffRole>().Select(r => r.ToCode()).ToList();

    /// <summary>The roles of staff (everyone but a member of the public).</summary>
    public static IReadOnlyList<string> StaffCodes { get; } = Enum.GetValues<StaffRole>().Where(r => r != StaffRole.Person).Select(r => r.ToCode()).ToList();

    public static bool TryParse(string? text, out StaffRole role) => Fangkong.Codes.TryParse(text, ToCode, out role);
}
