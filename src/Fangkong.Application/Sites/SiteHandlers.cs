using Fangkong.Application.Access;
using Fangkong.Application.Audit;
using Fangkong.Application.Control;
using Fangkong.Control;
using Fangkong.Input;
using Fangkong.Jurisdictions;
using Fangkong.Storage.Sites;
using Fangkong.Storage;
using Fangkong.Text;

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
            FreeText.Require("name", command.Name, FreeText.Short);
            FreeText.Require("address", command.Address, FreeText.Medium);
            actor.RequireSees(command.County.Value, $"jurisdiction:{command.County.Value}");
            await SiteRepository.AddSiteAsync(db, command.Key, command.Name, command.County, command.Address, command.Rooms, ct);
            return (0, AuditDetail.Write("site", command.Name, command.County.Value, Phrase.Number(command.Rooms.Count), Phrase.Number(command.Rooms.Count(r => r.Reserve))));
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
            await SiteScope.RequireAsync(db, actor, siteKey, ct);
            await SiteRepository.AddRoomsAsync(db, siteKey, rooms, ct);
            return (0, AuditDetail.Write("rooms", Phrase.Number(rooms.Count)));
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
            FreeText.Require("duty", duty, FreeText.Short);
            await SiteScope.RequireAsync(db, actor, siteKey, ct);
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
            return (left, AuditDetail.Write("checkout", left.SiteKey, left.RoomNo));
        });
    }
}

/// <summary>
/// A site is the actor's when its county lies in their jurisdiction. For anyone else a site outside and a
/// site that does not exist answer the same (<c>access.outside</c>), so that a refusal tells nothing of the
/// sites of other counties, not even whether they are full.
/// </summary>
internal static class SiteScope
{
    public static async Task RequireAsync(Database db, Actor actor, string siteKey, CancellationToken ct)
    {
        if (actor.Within is null)
        {
            return;
        }
        var county = await SiteRepository.CountyOfAsync(db, siteKey, ct);
        if (county is null || !actor.Jurisdiction.Contains(Fangkong.Jurisdictions.JurisdictionCode.Parse(county)))
        {
            throw new OutsideJurisdictionException($"site:{siteKey}");
        }
    }
}
