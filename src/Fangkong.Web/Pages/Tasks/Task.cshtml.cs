using System.Globalization;
using Fangkong.Application.Control;
using Fangkong.Application.Tasks;
using Fangkong.Application;
using Fangkong.Control;
using Fangkong.Storage.Control;
using Fangkong.Storage;
using Fangkong.Tasks;
using Fangkong.Web.Access;
using Fangkong.Web.Audit;
using Fangkong.Web.People;
using Fangkong.Web.Text;
using Microsoft.AspNetCore.Mvc;

namespace Fangkong.Web.Pages.Tasks;

/// <summary>
/// One task, and the action it asks for (任务办理): tell the person of their measure, take the sample of
/// the day's test (and enter its result), record the health check, decide the release; doing it completes
/// the task through the loop's own handler. A transfer is dispatched on the person's control page. The
/// judgement kinds (a review, a fever to follow up, a person to find) are completed with a note. The task
/// opens only for someone who may see the person it concerns; outside the jurisdiction it answers 404.
/// </summary>
public sealed class TaskModel(Database db, Viewer viewer, Actor actor, TaskRecords tasks, PersonRecords records, MoveOrder move, RecordSample sample, RecordResult result,
    RecordHealthCheck check, ReleaseOrder release, CompleteTask complete, UiText text) : FangkongPage
{
    public TaskItem Task { get; private set; } = null!;
    public PersonView? Person { get; private set; }
    public ControlOrder? Order { get; private set; }
    public TestSlot? Test { get; private set; }
    public string? Message { get; private set; }
    public string? Error { get; private set; }

    public bool Open => Task.Status == "open";
    public long Now => db.Now;
    public bool CanNotify => viewer.Can(Permission.NotifyPeople);
    public bool CanSample => viewer.Can(Permission.RecordSamples);
    public bool CanControl => viewer.Can(Permission.ControlPeople);
    public bool CanComplete => viewer.Can(Permission.CompleteTasks);

    public string Time(long? t) => t is null ? "—" : db.Calendar.ToLocal(t.Value).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } refusal)
        {
            return refusal;
        }
        Message = TempData["message"] as string;
        return Page();
    }

    public Task<IActionResult> OnPostNotifyAsync(long id, int version, CancellationToken ct) =>
        ActAsync(id, async () =>
        {
            await move.HandleAsync(actor, new MoveOrderCommand(Person!.Key, ControlStatus.Notified, new MoveDetails(null, null, null, null), version, Order!.Id), ct);
            return text.F("control.moved", text["status.notified"]);
        }, ct);

    public Task<IActionResult> OnPostSampleAsync(long id, string? sampleKey, CancellationToken ct) =>
        ActAsync(id, async () =>
        {
            if (string.IsNullOrWhiteSpace(sampleKey))
            {
                throw new RefusedException("the tube's barcode is needed", "sample.noKey");
            }
            var slot = await sample.HandleAsync(actor, new SampleCommand(Person!.Key, sampleKey.Trim()), ct);
            return text.F("task.sampled", slot.SampleKey, slot.DayNumber);
        }, ct);

    public Task<IActionResult> OnPostResultAsync(long id, string? sampleKey, string? outcome, CancellationToken ct) =>
        ActAsync(id, async () =>
        {
            if (string.IsNullOrWhiteSpace(sampleKey))
            {
                throw new RefusedException("the tube's barcode is needed", "sample.noKey");
            }
            await result.HandleAsync(actor, new ResultCommand(sampleKey.Trim(), outcome ?? ""), ct);
            return text.F("task.resulted", sampleKey.Trim(), text["result." + outcome]);
        }, ct);

    public Task<IActionResult> OnPostCheckAsync(long id, string? temperature, string? symptoms, CancellationToken ct) =>
        ActAsync(id, async () =>
        {
            if (!double.TryParse(temperature, NumberStyles.Float, CultureInfo.InvariantCulture, out var t) || !double.IsFinite(t) || t is < 34 or > 43)
            {
                throw new RefusedException($"'{temperature}' is not a body temperature in °C", "check.temperature", temperature ?? "");
            }
            var urgent = await check.HandleAsync(actor, new HealthCheckCommand(Person!.Key, t, string.IsNullOrWhiteSpace(symptoms) ? null : symptoms.Trim()), ct);
            return urgent ? text["task.checkedUrgent"] : text["task.checked"];
        }, ct);

    public Task<IActionResult> OnPostReleaseAsync(long id, int version, CancellationToken ct) =>
        ActAsync(id, async () =>
        {
            await release.HandleAsync(actor, new ReleaseOrderCommand(Person!.Key, version, Order!.Id), ct);
            return text["control.released"];
        }, ct);

    public Task<IActionResult> OnPostDoneAsync(long id, int version, string? note, CancellationToken ct) =>
        ActAsync(id, async () =>
        {
            await complete.HandleAsync(actor, new CompleteTaskCommand(id, string.IsNullOrWhiteSpace(note) ? null : note.Trim(), version), ct);
            return text.F("task.doneMessage", text.Title(Task.Title));
        }, ct);

    private async Task<IActionResult> ActAsync(long id, Func<Task<string>> act, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } refusal)
        {
            return refusal;
        }
        try
        {
            // The handler checks the permission and the jurisdiction again, and audits the action or its refusal.
            TempData["message"] = await act();
            return Redirect($"/tasks/{id}");
        }
        catch (OutsideJurisdictionException)
        {
            return NotFound();
        }
        catch (RefusedException e)
        {
            Error = text.Refused(e);
        }
        Response.StatusCode = 409;
        await LoadAsync(id, ct);
        return Page();
    }

    /// <summary>Loads the task, its person, order and the day's test; the refusal to answer instead, or null.</summary>
    private async Task<IActionResult?> LoadAsync(long id, CancellationToken ct)
    {
        if (!viewer.Can(Permission.ViewTasks))
        {
            return Denied();
        }
        try
        {
            Task = await tasks.OpenAsync(actor, id, ct);
        }
        catch (RefusedException)
        {
            return NotFound();   // missing or outside: the same answer
        }
        if (Task.PersonKey is { } key)
        {
            // A task about a person opens only for a role that may see that person's order.
            if (!viewer.Can(Permission.ViewContacts))
            {
                return Denied();
            }
            if (await records.OpenAsync(key, "taskPage", ct) is not { } stored)
            {
                return NotFound();
            }
            Person = PersonView.Of(stored.Person, viewer);
            Order = await ControlRepository.ActiveForAsync(db, stored.Id, ct);
            if (Order is not null && Task.Kind == "test")
            {
                var slots = await ControlRepository.TestsAsync(db, Order.Id, ct);
                Test = slots.Where(s => s.Result is null).OrderBy(s => s.DueDate).FirstOrDefault();
            }
        }
        return null;
    }
}
