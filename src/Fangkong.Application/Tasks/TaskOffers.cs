using Fangkong.Application.Access;

namespace Fangkong.Application.Tasks;

/// <summary>
/// Which tasks are offered to whom: a task is on a board only for someone who may do what it asks —
/// telling the person (notify), taking the sample (test), moving the person along the loop (transfer,
/// release), a health check or a judgement (any role that completes tasks) — and, when it concerns a
/// person, may see that person's order.
/// </summary>
public static class TaskOffers
{
    private static readonly (string Kind, Permission Needs)[] Rules =
    [
        ("notify", Permission.NotifyPeople),
        ("test", Permission.RecordSamples),
        ("resample", Permission.RecordSamples),
        ("recall", Permission.RecordSamples),
        ("transfer", Permission.ControlPeople),
        ("release", Permission.ControlPeople),
        ("health_check", Permission.CompleteTasks),
        ("fever", Permission.CompleteTasks),
        ("review", Permission.CompleteTasks),
        ("find", Permission.CompleteTasks),
    ];

    /// <summary>The task kinds the permissions allow acting on.</summary>
    public static IReadOnlyList<string> KindsFor(IReadOnlySet<Permission> permissions) =>
        [.. Rules.Where(r => permissions.Contains(r.Needs)).Select(r => r.Kind)];

    /// <summary>Whether tasks about a person are offered (the role sees people's orders).</summary>
    public static bool PersonTasksFor(IReadOnlySet<Permission> permissions) => permissions.Contains(Permission.ViewContacts);
}
