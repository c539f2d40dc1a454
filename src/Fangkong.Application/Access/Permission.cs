using Fangkong.Staff;

namespace Fangkong.Application.Access;

/// <summary>What a role may do in the command centre. Where it may do it is the account's jurisdiction.</summary>
public enum Permission
{
    ViewDashboard,
    ViewCases,
    EditCases,
    ViewContacts,
    ControlPeople,
    ViewSites,
    ViewTasks,
    CompleteTasks,
    ViewMissing,
    Import,
    Export,
    ViewAuditLog,
    ViewOwnRecord,

    /// <summary>Tell a person of their measure (告知): the community worker at the door, or the control officer.</summary>
    NotifyPeople,

    /// <summary>Record a sample and its result (采样, 检测结果): testing officers and control officers.</summary>
    RecordSamples,

    /// <summary>Keep the accounts and API tokens: the operator at the server only, no role of the command centre.</summary>
    ManageAccounts,

    /// <summary>Run the retention rules (drop old check-ins, detach released people's records): the operator or the schedule only.</summary>
    RunRetention,

    /// <summary>Declare an outbreak in the jurisdiction closed and its personal data purged (aggregates kept): commanders.</summary>
    CloseOutbreak,

    /// <summary>Open a reserve quarantine room (备而不用) for a placement, with a reason: the headquarters' decision and the site managers'.</summary>
    OpenReserveRooms,

    /// <summary>Register a person who is not in the population data (a contact named in an interview, an arrival): those who find people in the field.</summary>
    RegisterPeople,
}

/// <summary>
/// The roles of SPEC 1 and their permissions, as data. Auditors read everything and change nothing;
/// only auditors search the audit log (the people it watches do not). Checkpoint officers and venue
/// operators work on arrivals and venues (later capabilities); here they see figures and their tasks.
/// A member of the public (群众) sees only their own record.
/// </summary>
public static class RolePermissions
{
    private static readonly Dictionary<StaffRole, HashSet<Permission>> Table = new()
    {
        [StaffRole.Commander] =
        [
            Permission.ViewDashboard, Permission.ViewCases, Permission.EditCases, Permission.ViewContacts, Permission.ControlPeople,
            Permission.ViewSites, Permission.ViewTasks, Permission.CompleteTasks, Permission.ViewMissing, Permission.Import, Permission.Export,
            Permission.CloseOutbreak, Permission.NotifyPeople, Permission.RecordSamples, Permission.OpenReserveRooms, Permission.RegisterPeople,
        ],
        [StaffRole.Investigator] =
        [
            Permission.ViewDashboard, Permission.ViewCases, Permission.EditCases, Permission.ViewContacts, Permission.ViewTasks,
            Permission.CompleteTasks, Permission.ViewMissing, Permission.Import, Permission.Export, Permission.RegisterPeople,
        ],
        [StaffRole.ControlOfficer] =
        [
            Permission.ViewDashboard, Permission.ViewCases, Permission.ViewContacts, Permission.ControlPeople, Permission.ViewSites,
            Permission.ViewTasks, Permission.CompleteTasks, Permission.ViewMissing, Permission.Export, Permission.NotifyPeople, Permission.RecordSamples, Permission.RegisterPeople,
        ],
        [StaffRole.TestingOfficer] =
        [
            Permission.ViewDashboard, Permission.ViewContacts, Permission.ViewTasks, Permission.CompleteTasks, Permission.ViewMissing, Permission.RecordSamples,
        ],
        [StaffRole.CommunityWorker] =
        [
            Permission.ViewDashboard, Permission.ViewContacts, Permission.ViewTasks, Permission.CompleteTasks, Permission.ViewMissing, Permission.NotifyPeople, Permission.RegisterPeople,
        ],
        [StaffRole.CheckpointOfficer] = [Permission.ViewDashboard, Permission.ViewTasks, Permission.CompleteTasks],
        [StaffRole.VenueOperator] = [Permission.ViewDashboard, Permission.ViewTasks, Permission.CompleteTasks],
        [StaffRole.Auditor] =
        [
            Permission.ViewDashboard, Permission.ViewCases, Permission.ViewContacts, Permission.ViewSites, Permission.ViewTasks,
            Permission.ViewMissing, Permission.Export, Permission.ViewAuditLog,
        ],
        // A member of the public sees their own record, order, tests and reports their own health; nothing else.
        [StaffRole.Person] = [Permission.ViewOwnRecord],
    };

    public static bool Allows(this StaffRole role, Permission p) => Table.TryGetValue(role, out var set) && set.Contains(p);

    public static IReadOnlyCollection<Permission> Of(StaffRole role) => Table.TryGetValue(role, out var set) ? set : [];
}
