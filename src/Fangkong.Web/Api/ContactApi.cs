using Fangkong.Application.Control;
using Fangkong.Application;
using Fangkong.Control;
using Fangkong.Policies;
using Fangkong.Storage.Contacts;
using Fangkong.Storage.Control;
using Fangkong.Storage.People;
using Fangkong.Storage.Sites;
using Fangkong.Storage;
using Fangkong.Web.Access;
using Fangkong.Web.Audit;
using Fangkong.Web.Forms;
using Fangkong.Web.Lists;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Fangkong.Web.Api;

/// <summary>A controlled person's active order as the API shows it.</summary>
public sealed record OrderResponse(long Id, string PersonKey, string Group, string Measure, string Status, string StartDate, string? PlannedEnd, long? TransferDue,
    string? Site, string? Room, int Version, IReadOnlyList<string> NextSteps);

/// <summary>A step of the loop: notified, transfer_dispatched (with vehicle and crew), arrived, under_control, lost (with reason); expectedVersion guards against a change made meanwhile.</summary>
/// <summary>A step of the loop; <c>At</c> (ISO 8601 with offset) when it happened earlier than it is recorded.</summary>
public sealed record MoveRequest(string? To, int? ExpectedVersion, string? Reason, string? Vehicle, string? Crew, string? Pickup, DateTimeOffset? At = null);

/// <summary>Where to place a person: a site (default: suggested), a room of it, reserve rooms allowed, the household split; a reason for the last two.</summary>
public sealed record PlaceRequest(string? Site, string? Room = null, bool UseReserve = false, bool Split = false, string? Reason = null);

public static class ContactApi
{
    public static RouteGroupBuilder MapContactApi(this RouteGroupBuilder api)
    {
        api.MapGet("/contacts", ListAsync).WithTags("Contacts").WithName("ListContacts")
            .WithSummary("Close, secondary and general contacts living in the caller's jurisdiction, with their control status: filter by tier, case, status (or 'none'), text; sort by key|tier|exposure|status|case; page.")
            .Produces<PageResponse<ContactListRow>>();
        var control = api.MapGroup("/control").WithTags("Control");
        control.MapGet("/{personKey}", GetAsync).WithName("GetOrder")
            .WithSummary("A person's active control order with its room and the steps the loop allows next; 404 outside the caller's jurisdiction.")
            .Produces<OrderResponse>().ProducesProblem(StatusCodes.Status404NotFound);
        control.MapPost("/{personKey}/move", MoveAsync).WithName("MoveOrder")
            .WithSummary("Moves the order one step along the loop; 409 with the reason when the step is refused (nothing changes).")
            .Produces<OrderResponse>().ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status400BadRequest);
        control.MapPost("/{personKey}/place", PlaceAsync).WithName("PlaceInRoom")
            .WithSummary("Places the person (and their waiting household) in a quarantine room: the given site or the suggested one.")
            .Produces<OrderResponse>().ProducesProblem(StatusCodes.Status409Conflict);
        control.MapPost("/{personKey}/release", ReleaseAsync).WithName("ReleaseOrder")
            .WithSummary("Releases when the policy's criteria hold; 409 with every unmet criterion otherwise.")
            .Produces<OrderResponse>().ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    private static async Task<IResult> ListAsync(Database db, Viewer viewer, AuditTrail audit, FigureCache figures, HttpRequest request,
        string? tier, string? @case, string? status, string? q, int? page, int? size, string? sort, bool? desc, CancellationToken ct)
    {
        if (!viewer.Can(Permission.ViewContacts))
        {
            return Problems.Forbidden("your role does not see contacts");
        }
        if (tier is not null && tier is not ("close" or "secondary" or "grid" or "general"))
        {
            return Problems.Invalid("tier", $"'{tier}' is not one of close, secondary, grid, general");
        }
        if (status is not null && status != "none" && !ControlLoop.TryParse(status, out _))
        {
            return Problems.Invalid("status", $"'{status}' is not a step of the loop (or 'none')");
        }
        var paging = new PageRequest(page ?? 1, size ?? 50, sort, desc ?? false);
        var filter = new ContactFilter(viewer.Prefix, tier, @case, status, q);
        var found = await ContactList.FindAsync(db, filter, paging,
            count => figures.GetAsync("contact-count", $"{filter.Prefix}|{filter.Tier}|{filter.CaseKey}|{filter.Status}|{filter.Text}", count), ct);
        await audit.RecordAsync("contact.list", $"jurisdiction:{viewer.Jurisdiction.Value}", "api " + request.QueryString.Value);
        return Results.Ok(new PageResponse<ContactListRow>(found.Rows, found.Total, paging.Page, found.Pages));
    }

    private static async Task<IResult> GetAsync(string personKey, Database db, Viewer viewer, PersonRecords records, CancellationToken ct)
    {
        if (!viewer.Can(Permission.ViewContacts))
        {
            return Problems.Forbidden("your role does not see control orders");
        }
        var (order, problem) = await FindAsync(personKey, db, records, ct);
        return problem ?? Results.Ok(await ResponseAsync(db, personKey, order!, ct));
    }

    private static Task<IResult> MoveAsync(string personKey, MoveRequest body, Database db, Viewer viewer, Actor actor, MoveOrder move, PersonRecords records, CancellationToken ct) =>
        ActAsync(personKey, db, viewer, records, async order =>
        {
            if (!ControlLoop.TryParse(body.To, out var to))
            {
                throw new FieldException("to", $"'{body.To}' is not a step of the loop");
            }
            await move.HandleAsync(actor, new MoveOrderCommand(personKey, to, new MoveDetails(body.Reason, body.Vehicle, body.Crew, body.Pickup, body.At?.ToUnixTimeSeconds()), body.ExpectedVersion, order.Id), ct);
        }, ct);

    private static Task<IResult> PlaceAsync(string personKey, PlaceRequest? body, Database db, Viewer viewer, Actor actor, PlaceInRooms place, PersonRecords records, CancellationToken ct) =>
        ActAsync(personKey, db, viewer, records,
            order => place.HandleAsync(actor, new PlaceInRoomsCommand([personKey], string.IsNullOrWhiteSpace(body?.Site) ? null : body.Site.Trim(),
                string.IsNullOrWhiteSpace(body?.Room) ? null : body.Room.Trim(), body?.UseReserve ?? false, body?.Split ?? false, body?.Reason), ct), ct);

    private static Task<IResult> ReleaseAsync(string personKey, Database db, Viewer viewer, Actor actor, ReleaseOrder release, PersonRecords records, CancellationToken ct) =>
        ActAsync(personKey, db, viewer, records, order => release.HandleAsync(actor, new ReleaseOrderCommand(personKey, null, order.Id), ct), ct);

    /// <summary>Binds, calls the handler (which checks scope and permission again and writes the audit entry) and answers.</summary>
    private static async Task<IResult> ActAsync(string personKey, Database db, Viewer viewer, PersonRecords records, Func<ControlOrder, Task> act, CancellationToken ct)
    {
        if (!viewer.Can(Permission.ControlPeople))
        {
            return Problems.Forbidden("your role does not act on control orders");
        }
        var (order, problem) = await FindAsync(personKey, db, records, ct);
        if (problem is not null)
        {
            return problem;
        }
        try
        {
            await act(order!);
        }
        catch (FieldException e)
        {
            return Problems.Invalid(e.Field, e.Message);
        }
        catch (OutsideJurisdictionException e)
        {
            return Problems.NotFound(e.Target.StartsWith("site:", StringComparison.Ordinal) ? $"site '{e.Target["site:".Length..]}'" : $"an active control order of '{personKey}'");
        }
        catch (RefusedException e)
        {
            return Problems.Conflict(e.Message);
        }
        var now = await ControlRepository.FindAsync(db, order!.Id, ct);
        return Results.Ok(await ResponseAsync(db, personKey, now!, ct));
    }

    private static async Task<(ControlOrder? Order, IResult? Problem)> FindAsync(string personKey, Database db, PersonRecords records, CancellationToken ct)
    {
        var person = await records.OpenAsync(personKey, "apiControlOrder", ct);
        var order = person is null ? null : await ControlRepository.ActiveForAsync(db, person.Id, ct);
        return order is null ? (null, Problems.NotFound($"an active control order of '{personKey}'")) : (order, null);
    }

    private static async Task<OrderResponse> ResponseAsync(Database db, string personKey, ControlOrder o, CancellationToken ct)
    {
        var room = await SiteRepository.StayOfAsync(db, o.PersonId, ct);
        return new OrderResponse(o.Id, personKey, ControlCodes.ToCode(o.Group), ControlCodes.ToCode(o.Measure), o.Status.ToCode(), Iso(o.StartDate),
            o.PlannedEnd is { } e && e != DateOnly.MaxValue ? Iso(e) : null, o.TransferDue, room?.SiteKey, room?.RoomNo, o.Version,
            o.Status.IsClosed() ? [] : [.. ControlLoop.Next(o.Status, o.Measure).Select(s => s.ToCode())]);
    }

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
