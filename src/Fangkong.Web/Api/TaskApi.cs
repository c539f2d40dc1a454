using Fangkong.Application.Tasks;
using Fangkong.Application;
using Fangkong.Control;
using Fangkong.Jurisdictions;
using Fangkong.Storage.Staff;
using Fangkong.Storage.Tasks;
using Fangkong.Storage;
using Fangkong.Tasks;
using Fangkong.Web.Access;
using Fangkong.Web.Audit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Fangkong.Web.Api;

public sealed record TaskDoneRequest(string? Note, int? ExpectedVersion);

public static class TaskApi
{
    public static RouteGroupBuilder MapTaskApi(this RouteGroupBuilder api)
    {
        var tasks = api.MapGroup("/tasks").WithTags("Tasks");
        tasks.MapGet("", ListAsync).WithName("ListTasks")
            .WithSummary("Open tasks: the caller's own (mine=true), or the jurisdiction's (overdue=true for overdue only).")
            .Produces<List<TaskItem>>();
        tasks.MapPost("/{id:long}/done", DoneAsync).WithName("CompleteTask")
            .WithSummary("Marks a task in the caller's jurisdiction done; 409 when it is no longer open or was changed meanwhile.")
            .Produces<TaskItem>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    /// <summary>A task is the viewer's when it is owned inside their jurisdiction or concerns a person who lives there.</summary>
    public static bool Sees(this Viewer viewer, TaskItem t) => viewer.Sees(t.OwnerJurisdiction) || viewer.Sees(t.HomeJurisdiction);

    private static async Task<IResult> ListAsync(Database db, Viewer viewer, Actor actor, bool? mine, bool? overdue, int? limit, CancellationToken ct)
    {
        if (!viewer.Can(Permission.ViewTasks))
        {
            return Problems.Forbidden("your role has no tasks");
        }
        var size = Math.Clamp(limit ?? 100, 1, 1000);
        var offered = (TaskOffers.KindsFor(actor.Permissions), TaskOffers.PersonTasksFor(actor.Permissions));
        if (mine == true)
        {
            if (viewer.StaffId is not { } staffId || await StaffRepository.FindAsync(db, staffId, ct) is not { } staff)
            {
                return Results.Ok(new List<TaskItem>());
            }
            return Results.Ok(await TaskRepository.ListAsync(db, new TaskQuery(OwnerStaffKey: staff.Key, OverdueOnly: overdue == true, Limit: size, OfferedKinds: offered.Item1, PersonTasks: offered.Item2), ct));
        }
        return Results.Ok(await TaskRepository.ListAsync(db, new TaskQuery(Within: viewer.Jurisdiction, OverdueOnly: overdue == true, Limit: size, WithResidents: true, OfferedKinds: offered.Item1, PersonTasks: offered.Item2), ct));
    }

    private static async Task<IResult> DoneAsync(long id, TaskDoneRequest? body, Database db, Viewer viewer, Actor actor, CompleteTask complete, AuditTrail audit, CancellationToken ct)
    {
        if (!viewer.Can(Permission.CompleteTasks))
        {
            return Problems.Forbidden("your role does not complete tasks");
        }
        var task = await TaskRepository.FindAsync(db, id, ct);
        if (task is null || !viewer.Sees(task))
        {
            if (task is not null)
            {
                await audit.RecordAsync("access.denied", $"task:{id}", "api task outside the caller's jurisdiction");
            }
            return Problems.NotFound($"task {id}");
        }
        if (body?.Note is { Length: > 500 })
        {
            return Problems.Invalid("note", "is longer than 500 characters");
        }
        try
        {
            var done = await complete.HandleAsync(actor, new CompleteTaskCommand(id, body?.Note, body?.ExpectedVersion), ct);
            return Results.Ok(done);
        }
        catch (RefusedException e)
        {
            return Problems.Conflict(e.Message);
        }
    }
}
