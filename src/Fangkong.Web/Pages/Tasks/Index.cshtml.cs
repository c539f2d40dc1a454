using System.Globalization;
using Fangkong.Application.Tasks;
using Fangkong.Application;
using Fangkong.Control;
using Fangkong.Storage.Staff;
using Fangkong.Storage.Tasks;
using Fangkong.Storage;
using Fangkong.Tasks;
using Fangkong.Web.Access;
using Fangkong.Web.Api;
using Fangkong.Web.Audit;
using Fangkong.Web.Lists;
using Fangkong.Web.Text;
using Microsoft.AspNetCore.Mvc;

namespace Fangkong.Web.Pages.Tasks;

/// <summary>
/// The task board (C11): "my tasks" (the viewer's staff record owns them), the jurisdiction's open
/// tasks, and its overdue ones; complete a task with a note, or a selection at once where its action
/// allows (notify, judgements). Sorted, filtered by kind, community and due day, grouped by any of
/// them, paged, exportable; an action returns to the same view, filters and page.
/// </summary>
public sealed class IndexModel(Database db, Viewer viewer, Actor actor, CompleteTask complete, BulkTasks bulk, AuditTrail audit, UiText text, TimeProvider clock, FigureCache figures,
    JurisdictionDirectory directory) : FangkongPage
{
    public static readonly IReadOnlyList<string> Views = ["mine", "open", "overdue"];

    /// <summary>The groupings a board offers, by their query value.</summary>
    public static readonly IReadOnlyDictionary<string, TaskGrouping> Groupings = new Dictionary<string, TaskGrouping>(StringComparer.Ordinal)
    {
        ["kind"] = TaskGrouping.Kind,
        ["community"] = TaskGrouping.Community,
        ["due"] = TaskGrouping.DueDay,
    };

    public static readonly IReadOnlyList<string> Kinds = ["notify", "transfer", "test", "health_check", "fever", "release", "review", "find", "resample", "recall"];

    public ListQuery Query { get; private set; } = null!;
    public string View { get; private set; } = "open";
    public IReadOnlyList<TaskItem> Rows { get; private set; } = [];
    public long Total { get; private set; }
    public int Pages { get; private set; }
    public long Now => db.Now;
    public bool CanComplete => viewer.Can(Permission.CompleteTasks);
    public bool CanNotify => viewer.Can(Permission.NotifyPeople);
    public TaskGrouping Grouping { get; private set; }
    public string? GroupName => Groupings.FirstOrDefault(g => g.Value == Grouping).Key;
    public IReadOnlyList<TaskBoardGroup> Groups { get; private set; } = [];
    public IReadOnlyDictionary<string, string> Names { get; private set; } = new Dictionary<string, string>();

    /// <summary>A row's key in the board's grouping (what its heading shows).</summary>
    public string GroupKey(TaskItem t) => Grouping switch
    {
        TaskGrouping.Kind => t.Kind,
        TaskGrouping.Community => t.HomeJurisdiction,
        TaskGrouping.DueDay => db.Calendar.LocalDate(t.DueAt).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        _ => "",
    };

    /// <summary>A group's heading: the kind's name, the community's name, or the day.</summary>
    public string GroupLabel(string key) => Grouping switch
    {
        TaskGrouping.Kind => text["taskKind." + key],
        TaskGrouping.Community => key.Length == 0 ? text["tasks.noCommunity"] : Names.GetValueOrDefault(key, key),
        _ => key,
    };

    /// <summary>The filter that shows one group alone.</summary>
    public string GroupFilter(string key) => Grouping switch
    {
        TaskGrouping.Kind => Query.With(("kind", key), ("page", null)),
        TaskGrouping.Community => Query.With(("community", key), ("page", null)),
        _ => Query.With(("day", key), ("page", null)),
    };

    private static readonly string[] Kept = ["community", "day", "within", "sort", "desc", "size"];

    /// <summary>The filters in force other than the view and the kind (community, day), for the form to keep.</summary>
    public IEnumerable<(string Name, string Value)> KeptFilters =>
        Kept.Select(n => (n, Query[n])).Where(x => x.Item2 is not null).Select(x => (x.n, x.Item2!));
    public string? Message { get; private set; }
    public string? Error { get; private set; }

    public string Time(long t) => db.Calendar.ToLocal(t).ToString("MM-dd HH:mm", CultureInfo.InvariantCulture);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!viewer.Can(Permission.ViewTasks))
        {
            return Denied();
        }
        await LoadAsync(export: false, ct);
        Message = TempData["message"] as string;
        return Page();
    }

    public async Task<IActionResult> OnGetExportAsync(string? format, CancellationToken ct)
    {
        if (await ExportRefusalAsync(viewer, Permission.ViewTasks, format, personalData: true, ct) is { } refusal)
        {
            return refusal;
        }
        await LoadAsync(export: true, ct);
        string[] headers = [text["task.title"], text["task.kind"], text["person.key"], text["task.owner"], text["task.due"], text["task.priority"], text["task.escalation"], text["contacts.status"]];
        var rows = Rows.Select(t => (IReadOnlyList<string?>)[text.Title(t.Title), text["taskKind." + t.Kind], t.PersonKey, t.OwnerStaffName ?? t.OwnerJurisdiction, Time(t.DueAt),
            t.Priority.ToString(CultureInfo.InvariantCulture), t.EscalationLevel.ToString(CultureInfo.InvariantCulture), t.Status]);
        return await ListExport.FileAsync(format!, "tasks", headers, rows, audit, viewer.Username, Request.QueryString.Value ?? "", clock, text);
    }

    public async Task<IActionResult> OnPostDoneAsync(long id, int version, string? note, CancellationToken ct)
    {
        if (!viewer.Can(Permission.CompleteTasks))
        {
            return Denied();
        }
        var task = await TaskRepository.FindAsync(db, id, ct);
        if (task is null || !viewer.Sees(task))
        {
            if (task is not null)
            {
                await audit.RecordAsync("access.denied", $"task:{id}", "task outside the viewer's jurisdiction");
            }
            return NotFound();
        }
        if (note is { Length: > 500 })
        {
            return await RefusedAsync(text["task.error.noteTooLong"], ct);
        }
        try
        {
            await complete.HandleAsync(actor, new CompleteTaskCommand(id, string.IsNullOrWhiteSpace(note) ? null : note.Trim(), version), ct);
            TempData["message"] = text.F("task.doneMessage", text.Title(task.Title));
            return Redirect(Back());
        }
        catch (RefusedException e)
        {
            return await RefusedAsync(text.Refused(e), ct);
        }
    }

    /// <summary>
    /// The selected tasks at once (批量办理): <paramref name="bulkAction"/> "notify" tells each person of
    /// their measure, "done" completes judgement tasks with the note. Returns to the same board.
    /// </summary>
    public async Task<IActionResult> OnPostBulkAsync(long[]? ids, string? bulkAction, string? note, CancellationToken ct)
    {
        if (!viewer.Can(Permission.ViewTasks))
        {
            return Denied();
        }
        try
        {
            var command = new BulkTasksCommand(ids ?? [], string.IsNullOrWhiteSpace(note) ? null : note);
            var outcome = bulkAction switch
            {
                "notify" => await bulk.NotifyAsync(actor, command, ct),
                "done" => await bulk.CompleteAsync(actor, command, ct),
                _ => throw new RefusedException("choose what to do with the selected tasks", "task.bulkAction"),
            };
            var message = text.F("tasks.bulkDone", outcome.Done.Count);
            if (outcome.Left.Count > 0)
            {
                message += " " + text.F("tasks.bulkLeft", outcome.Left.Count,
                    string.Join("；", outcome.Left.GroupBy(l => l.Code).Select(g => $"{text["tasks.left." + g.Key]} ({string.Join(", ", g.Take(5).Select(x => "#" + x.TaskId))}{(g.Count() > 5 ? " …" : "")})")));
            }
            TempData["message"] = message;
            return Redirect(Back());
        }
        catch (RefusedException e)
        {
            return await RefusedAsync(text.Refused(e), ct);
        }
    }

    /// <summary>The board again with the refusal said (409), the form's filters kept.</summary>
    private async Task<IActionResult> RefusedAsync(string error, CancellationToken ct)
    {
        Error = error;
        Response.StatusCode = 409;
        await LoadAsync(export: false, ct);
        return Page();
    }

    /// <summary>The board as it was before the action: same view, filters, sort and page.</summary>
    private string Back() => new ListQuery(Request).With(("handler", null), ("id", null));

    /// <summary>The query limited to the tasks this role may act on (<see cref="TaskOffers"/>).</summary>
    private TaskQuery Offered(TaskQuery q) => q with { OfferedKinds = TaskOffers.KindsFor(actor.Permissions), PersonTasks = TaskOffers.PersonTasksFor(actor.Permissions) };

    private async Task LoadAsync(bool export, CancellationToken ct)
    {
        Query = new ListQuery(Request);
        View = Query["view"] is { } v && Views.Contains(v) ? v : viewer.StaffId is null ? "open" : "mine";
        var kind = Query["kind"] is { } k && Kinds.Contains(k) ? k : null;
        var community = Query["community"] is { Length: <= 12 } c && c.All(char.IsAsciiDigit) ? c : null;
        long? dayFrom = null;
        if (Query["day"] is { } day && DateOnly.TryParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            dayFrom = db.Calendar.StartOfDay(d);
        }
        Grouping = Query["group"] is { } g && Groupings.TryGetValue(g, out var grouping) ? grouping : TaskGrouping.None;
        if (Query["view"] is null && View == "mine")
        {
            // The board opens where there is work: the user's own tasks, or the jurisdiction's when they have none.
            var staff = await StaffRepository.FindAsync(db, viewer.StaffId!.Value, ct);
            var mine = await TaskRepository.FindAsync(db, Offered(new TaskQuery(OwnerStaffKey: staff?.Key ?? "\u0000none", Kind: kind)), Query.Page with { Export = false }, ct: ct);
            View = mine.Total > 0 ? "mine" : "open";
        }
        TaskQuery q;
        if (View == "mine")
        {
            var staff = viewer.StaffId is { } id ? await StaffRepository.FindAsync(db, id, ct) : null;
            q = new TaskQuery(OwnerStaffKey: staff?.Key ?? "\u0000none", Kind: kind);
        }
        else
        {
            // Narrowed to a county or community inside the viewer's jurisdiction when a dashboard link asks (?within=).
            var within = Query["within"] is { } w && Fangkong.Jurisdictions.JurisdictionCode.TryParse(w, out var code, out _) && viewer.PrefixWithin(w) != viewer.Prefix ? code : viewer.Jurisdiction;
            q = new TaskQuery(Within: within, OverdueOnly: View == "overdue", Kind: kind, WithResidents: true);
        }
        // Only the tasks this role may act on (TaskOffers), and the community and day asked for.
        q = Offered(q) with { Community = community, DueFrom = dayFrom, DueBefore = dayFrom + 86_400 };
        if (Grouping != TaskGrouping.None && !export)
        {
            Groups = await TaskRepository.BoardGroupsAsync(db, q, Grouping, 60, ct);
            if (Grouping == TaskGrouping.Community)
            {
                Names = await directory.NamesAsync(ct);
            }
        }
        var found = await TaskRepository.FindAsync(db, q, Query.Page with { Export = export },
            count => figures.GetAsync("task-count", q.CacheKey, count), Grouping, ct);
        Rows = found.Rows;
        Total = found.Total;
        Pages = found.Pages;
    }
}
