using System.Globalization;
using Fangkong.Application.Control;
using Fangkong.Application.Sites;
using Fangkong.Application;
using Fangkong.Control;
using Fangkong.Policies;
using Fangkong.Storage.Control;
using Fangkong.Storage.People;
using Fangkong.Storage.Sites;
using Fangkong.Storage.Staff;
using Fangkong.Storage;
using Fangkong.Web.Access;
using Fangkong.Web.Audit;
using Fangkong.Web.Forms;
using Fangkong.Web.People;
using Fangkong.Web.Text;
using Microsoft.AspNetCore.Mvc;

namespace Fangkong.Web.Pages.Control;

/// <summary>
/// One person's control order and its loop (闭环): the order, room, tests and steps, and the next
/// actions the loop allows — notify, place in a room, dispatch the transfer, confirm arrival, put
/// under control, release, or record as lost. Each action checks the order's version, so two
/// officers acting at once cannot both succeed; a refusal names its reason and changes nothing.
/// </summary>
public sealed class PersonModel(Database db, Viewer viewer, Actor actor, MoveOrder move, PlaceInRooms place, CheckOutOfRoom checkOut, ReleaseOrder release, AuditTrail audit, JurisdictionDirectory directory, UiText text, PersonRecords records) : FangkongPage
{
    public PersonView Person { get; private set; } = null!;
    public string Area { get; private set; } = "";
    public ControlOrder? Order { get; private set; }
    public Placement? Room { get; private set; }
    public string? Monitor { get; private set; }
    public IReadOnlyList<TestSlot> Tests { get; private set; } = [];
    public IReadOnlyList<ControlEvent> Events { get; private set; } = [];
    public string? Message { get; private set; }
    public string? Error { get; private set; }
    public IReadOnlyList<SiteNow> Sites { get; private set; } = [];
    public bool CanAct => viewer.Can(Permission.ControlPeople);
    public bool CanOpenReserve => viewer.Can(Permission.OpenReserveRooms);
    public bool CanPrint => !Person.Masked && (viewer.Can(Permission.ControlPeople) || viewer.Can(Permission.NotifyPeople));

    /// <summary>Whether an order of this person was released (its release certificate can be printed).</summary>
    public bool HasReleased { get; private set; }

    /// <summary>The latest time a step may be dated, for the form's time field (local, to the minute).</summary>
    public string NowLocal => FormTime.Value(db.Now, db.Calendar);

    public string Time(long? t) => t is null ? "—" : db.Calendar.ToLocal(t.Value).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    public static string Date(DateOnly? d) => d is null || d == DateOnly.MaxValue ? "—" : d.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public async Task<IActionResult> OnGetAsync(string key, CancellationToken ct)
    {
        if (!viewer.Can(Permission.ViewContacts))
        {
            return Denied();
        }
        return await LoadAsync(key, ct) is null ? NotFound() : Page();
    }

    public Task<IActionResult> OnPostMoveAsync(string key, string to, int version, string? reason, string? vehicle, string? crew, string? pickup, string? at, CancellationToken ct) =>
        ActAsync(key, $"control.{to}", async order =>
        {
            var happened = StepTime(at);
            if (!ControlLoop.TryParse(to, out var status))
            {
                throw new RefusedException($"'{to}' is not a step of the loop", "loop.notAStep");
            }
            if (status == ControlStatus.Lost && string.IsNullOrWhiteSpace(reason))
            {
                throw new FieldException("reason", text["control.error.reasonRequired"]);
            }
            if (status == ControlStatus.TransferDispatched && (string.IsNullOrWhiteSpace(vehicle) || string.IsNullOrWhiteSpace(crew)))
            {
                throw new FieldException(string.IsNullOrWhiteSpace(vehicle) ? "vehicle" : "crew", text["control.error.transferDetails"]);
            }
            // The loop's rule, said in the user's language (the store checks it again, against the order as it is then).
            if (order.Version == version && status is not (ControlStatus.Released or ControlStatus.ConvertedToCase)
                && ControlLoop.Refusal(order.Status, status, order.Measure) is not null)
            {
                var next = ControlLoop.Next(order.Status, order.Measure).Select(n => text["status." + n.ToCode()]);
                throw new LoopException(text.F("control.error.step", text["status." + order.Status.ToCode()], text["status." + status.ToCode()], string.Join(text["common.or"], next)));
            }
            var moved = await move.HandleAsync(actor, new MoveOrderCommand(Person.Key, status, new MoveDetails(reason, vehicle, crew, pickup, happened), version, order.Id), ct);
            return text.F("control.moved", text["status." + moved.Status.ToCode()]);
        }, ct);

    public Task<IActionResult> OnPostPlaceAsync(string key, string? site, string? room, bool split, bool reserve, string? reason, CancellationToken ct) =>
        ActAsync(key, "control.place", async order =>
        {
            if (reserve && !CanOpenReserve)
            {
                throw new FieldException("reserve", text["control.error.reserveNotAllowed"]);
            }
            // Said at its field, like the lost step's reason (the handler checks it again).
            if ((split || reserve) && string.IsNullOrWhiteSpace(reason))
            {
                throw new FieldException("reason", text["refusal.place.reasonRequired"]);
            }
            var siteKey = string.IsNullOrWhiteSpace(site) ? null : site.Trim();
            var roomNo = string.IsNullOrWhiteSpace(room) ? null : room.Trim();
            if (roomNo is not null && siteKey is null)
            {
                throw new FieldException("site", text["control.error.roomNeedsSite"]);
            }
            var placed = await place.HandleAsync(actor, new PlaceInRoomsCommand([Person.Key], siteKey, roomNo, reserve, split, reason), ct);
            var mine = placed.First(p => p.PersonId == order.PersonId);
            var rooms = placed.Select(p => (p.SiteKey, p.RoomNo)).Distinct().Count();
            return rooms > 1 ? text.F("control.placedSplit", mine.SiteKey, mine.RoomNo, placed.Count, rooms) : text.F("control.placed", mine.SiteKey, mine.RoomNo, placed.Count);
        }, ct);

    public Task<IActionResult> OnPostCheckOutAsync(string key, CancellationToken ct) =>
        ActAsync(key, "site.checkout", async order =>
        {
            var left = await checkOut.HandleAsync(actor, Person.Key, ct);
            return text.F("control.checkedOut", left.SiteKey, left.RoomNo);
        }, ct);

    /// <summary>The time a step happened as typed in the form (local date and time), or null for now.</summary>
    private long? StepTime(string? at)
    {
        if (string.IsNullOrWhiteSpace(at))
        {
            return null;
        }
        return FormTime.TryParse(at, db.Calendar, out var t) ? t : throw new FieldException("at", text["control.error.at"]);
    }

    public Task<IActionResult> OnPostReleaseAsync(string key, int version, CancellationToken ct) =>
        ActAsync(key, "control.release", async order =>
        {
            await release.HandleAsync(actor, new ReleaseOrderCommand(Person.Key, version, order.Id), ct);
            return text["control.released"];
        }, ct);

    private async Task<IActionResult> ActAsync(string key, string action, Func<ControlOrder, Task<string>> act, CancellationToken ct)
    {
        if (!viewer.Can(Permission.ControlPeople))
        {
            return Denied();
        }
        if (await LoadAsync(key, ct) is null)
        {
            return NotFound();
        }
        if (Order is null)
        {
            Error = text["control.error.noOrder"];
            return Page();
        }
        try
        {
            // The handler records the change (or its refusal) in the audit log.
            TempData["message"] = await act(Order);
            return Redirect($"/control/{Uri.EscapeDataString(key)}");
        }
        catch (FieldException e)
        {
            Error = $"{text["control.field." + e.Field]}: {e.Message}";
            Response.StatusCode = 400;
        }
        catch (LoopException e)
        {
            Error = e.Message;
            Response.StatusCode = 409;
            await audit.RecordAsync(action + ".refused", $"person:{key}", e.Message);   // the page's own check, already worded in the acting user's language
        }
        catch (OutsideJurisdictionException)
        {
            return NotFound();
        }
        catch (RefusedException e)
        {
            Error = text.Refused(e);
            Response.StatusCode = 409;
        }
        await LoadAsync(key, ct);
        return Page();
    }

    private async Task<PersonView?> LoadAsync(string key, CancellationToken ct)
    {
        if (await records.OpenAsync(key, "controlPage", ct) is not { } stored)
        {
            return null;
        }
        Person = PersonView.Of(stored.Person, viewer);
        Area = await directory.DescribeAsync(stored.Person.CommunityCode, ct);
        Order = await ControlRepository.ActiveForAsync(db, stored.Id, ct);
        HasReleased = Order is { Status: ControlStatus.Released } || (Order is null && (await ControlRepository.HistoryOfAsync(db, stored.Id, ct)).Any(h => h.Status == ControlStatus.Released));
        Room = await SiteRepository.StayOfAsync(db, stored.Id, ct);
        if (CanAct && Room is null && Order is { } o && o.Measure.IsCentralized() && o.Active)
        {
            Sites = await SiteList.NowAsync(db, viewer.Prefix, ct);
        }
        Message ??= TempData["message"] as string;
        if (Order is not null)
        {
            Tests = await ControlRepository.TestsAsync(db, Order.Id, ct);
            Events = await ControlRepository.EventsAsync(db, Order.Id, ct);
            Monitor = Order.MonitorId is { } m && await StaffRepository.FindAsync(db, m, ct) is { } staff ? $"{staff.Name} ({staff.Key})" : null;
        }
        return Person;
    }
}

/// <summary>A step the loop does not allow from where the order stands, already worded for the user.</summary>
public sealed class LoopException(string message) : Exception(message);
