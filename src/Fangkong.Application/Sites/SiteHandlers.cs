using Fangkong.Application.Access;
using Fangkong.Application.Audit;
using Fangkong.Application.Control;
using Fangkong.Control;
using Fangkong.Jurisdictions;
using Fangkong.Storage.Sites;
using Fangkong.Storage;

namespace Fangkong.Application.Sites;

public sealed record AddSiteCommand(string Key, string Name, JurisdictionCode County, string? Address, IReadOnlyList<RoomSpec> Rooms);

/// <summary>Opens a quarantine site (集中隔离点) with its rooms in a county of the actor's jurisdiction.</summary>
public sealed class AddSite(Database db, AuditSink audit)
{
    public Task HandleAsync(Actor actor, AddSiteCommand command, CancellationToken ct = default)
    {
        actor.Require(Permission.ControlPeople);
        return audit.AuditedAsync(actor, "site.add", $"site:{command.Key}", async () =>
        {
            actor.RequireSees(command.County.Value, $"jurisdiction:{command.County.Value}");
            await SiteRepository.AddSiteAsync(db, command.Key, command.Name, command.County, command.Address, command.Rooms, ct);
            return (0, $"{command.Name} in {command.County.Value}: {command.Rooms.Count} room(s), {command.Rooms.Count(r => r.Reserve)} in reserve");
        });
    }
}

/// <summary>Adds rooms to a site.</summary>
public sealed class AddRooms(Database db, AuditSink audit)
{
    public Task HandleAsync(Actor actor, string siteKey, IReadOnlyList<RoomSpec> rooms, CancellationToken ct = default)
    {
        actor.Require(Permission.ControlPeople);
        return audit.AuditedAsync(actor, "site.rooms", $"site:{siteKey}", async () =>
        {
            await SiteRepository.AddRoomsAsync(db, siteKey, rooms, ct);
            return (0, $"{rooms.Count} room(s) added");
        });
    }
}

/// <summary>Puts a member of staff on a site's team with a duty.</summary>
public sealed class AddSiteStaff(Database db, AuditSink audit)
{
    public Task HandleAsync(Actor actor, string siteKey, string staffKey, string duty, CancellationToken ct = default)
    {
        actor.Require(Permission.ControlPeople);
        return audit.AuditedAsync(actor, "site.staff", $"site:{siteKey}", async () =>
        {
            await SiteRepository.AddStaffAsync(db, siteKey, staffKey, duty, ct);
            return (0, $"{staffKey} ({duty})");
        });
    }
}

/// <summary>Checks a person out of their room (release does this by itself).</summary>
public sealed class CheckOutOfRoom(Database db, PeopleInScope people, AuditSink audit)
{
    public Task<Placement> HandleAsync(Actor actor, string personKey, CancellationToken ct = default)
    {
        actor.Require(Permission.ControlPeople);
        return audit.AuditedAsync(actor, "site.checkout", $"person:{personKey}", async () =>
        {
            var person = await people.OpenAsync(actor, personKey, ct);
            var left = await SiteRepository.CheckOutAsync(db, person.Id, actor.Name, ct);
            return (left, $"{left.SiteKey} room {left.RoomNo}");
        });
    }
}
