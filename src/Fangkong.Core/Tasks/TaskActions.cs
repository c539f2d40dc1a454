namespace Fangkong.Tasks;

/// <summary>
/// What a task asks to be done. A task of an action kind is done by doing the action (telling the
/// person, dispatching the transfer, taking the sample, recording the health check, deciding the
/// release), which completes it; it cannot be ticked off with a note. The other kinds (a review, a
/// fever to follow up, a person to find) are judgements, completed with a note saying what was done.
/// </summary>
public static class TaskActions
{
    /// <summary>The kinds that are done by their action, not by a note.</summary>
    public static readonly IReadOnlySet<string> ActionKinds = new HashSet<string>(StringComparer.Ordinal) { "notify", "transfer", "test", "health_check", "release" };

    public static bool NeedsAction(string kind) => ActionKinds.Contains(kind);
}
