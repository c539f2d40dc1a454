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
/// tasks, and its overdue ones; complete a task with a note. Sorted, filtered by kind, paged, exportable.
/// </summary>
public sealed class IndexModel(Database db, Viewer viewer, Actor actor, CompleteTask complete, AuditTrail audit, UiText text, TimeProvider clock, FigureCache figures) : FangkongPage
{
    public static readonly IReadOnlyList<string> Views = ["mine", "open", "overdue"];

    public static readonly IReadOnlyList<string> Kinds = ["notify", "transfer", "test", "health_check", "fever", "release", "review", "find"];

    public ListQuery Query { get; private set; } = null!;
    public string View { get; private set; } = "open";
    public IReadOnlyList<TaskItem> Rows { get; private set; } = [];
    public long Total { get; private set; }
    public int Pages { get; private set; }
    public long Now => db.Now;
    public bool CanComplete => viewer.Can(Permission.CompleteTasks);
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
        return await ListExport.FileAsync(format!, "tasks", headers, rows, audit, viewer.Username, Request.QueryString.Value ?? "", clock);
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
            Error = text["task.error.noteTooLong"];
        }
        else
        {
            try
            {
                await complete.HandleAsync(actor, new CompleteTaskCommand(id, string.IsNullOrWhiteSpace(note) ? null : note.Trim(), version), ct);
                TempData["message"] = text.F("task.doneMessage", text.Title(task.Title));
                return Redirect("/tasks" + Request.QueryString.Value?.Replace("handler=done", "", StringComparison.Ordinal));
            }
            catch (RefusedException e)
            {
                Error = text.Refused(e);
            }
        }
        Response.StatusCode = 409;
        await LoadAsync(export: false, ct);
        return Page();
    }

    /// <summary>The query limited to the tasks this role may act on (<see cref="TaskOffers"/>).</summary>
    private TaskQuery Offered(TaskQuery q) => q with { OfferedKinds = TaskOffers.KindsFor(actor.Permissions), PersonTasks = TaskOffers.PersonTasksFor(actor.Permissions) };

    private async Task LoadAsync(bool export, CancellationToken ct)
    {
        Query = new ListQuery(Request);
        View = Query["view"] is { } v && Views.Contains(v) ? v : viewer.StaffId is null ? "open" : "mine";
        var kind = Query["kind"];
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
            q = new TaskQuery(Within: viewer.Jurisdiction, OverdueOnly: View == "overdue", Kind: kind, WithResidents: true);
        }
        // Only the tasks this role may act on (TaskOffers).
        q = Offered(q);
        var found = await TaskRepository.FindAsync(db, q, Query.Page with { Export = export },
            count => figures.GetAsync("task-count", q.CacheKey, count), ct);
        Rows = found.Rows;
        Total = found.Total;
        Pages = found.Pages;
    }
}
