using Fangkong.Application.Access;
using Fangkong.Application.Audit;
using Fangkong.Application.Sites;
using Fangkong.Control;
using Fangkong.Input;
using Fangkong.Storage.Control;
using Fangkong.Storage.People;
using Fangkong.Storage.Sites;
using Fangkong.Storage;
using Fangkong.Text;

namespace Fangkong.Application.Control;

/// <summary>
/// People to place in quarantine rooms (their waiting household comes along): a site, a room, the
/// reserve, or the suggestion. <paramref name="Split"/> lets a household that no room takes whole go
/// to several rooms; a split and an opened reserve room each need <paramref name="Reason"/>.
/// </summary>
public sealed record PlaceInRoomsCommand(IReadOnlyList<string> PersonKeys, string? SiteKey = null, string? RoomNo = null, bool UseReserve = false, bool Split = false, string? Reason = null);

/// <summary>
/// Places people in rooms (one person or one household a room). Everyone named must lie in the actor's
/// jurisdiction; opening reserve rooms (备而不用) is for those allowed to, with a reason; audited as
/// <c>control.place</c> with the reason.
/// </summary>
public sealed class PlaceInRooms(Database db, PeopleInScope people, AuditSink audit)
{
    public async Task<IReadOnlyList<Placement>> HandleAsync(Actor actor, PlaceInRoomsCommand command, CancellationToken ct = default)
    {
        actor.Require(Permission.ControlPeople);
        if (command.UseReserve)
        {
            actor.Require(Permission.OpenReserveRooms);
        }
        var target = command.PersonKeys.Count == 1 ? $"person:{command.PersonKeys[0]}" : $"jurisdiction:{actor.Jurisdiction.Value}";
        return await audit.AuditedAsync(actor, "control.place", target, async () =>
        {
            FreeText.Require("reason", command.Reason, FreeText.Long, multiline: true);
            var reason = string.IsNullOrWhiteSpace(command.Reason) ? null : command.Reason.Trim();
            if ((command.Split || command.UseReserve) && reason is null)
            {
                throw new RefusedException(command.Split ? "splitting a household over rooms needs a reason" : "opening a reserve room needs a reason", "place.reasonRequired");
            }
            if (command.SiteKey is { } site)
            {
                await SiteScope.RequireAsync(db, actor, site, ct);
            }
            var ids = new List<int>(command.PersonKeys.Count);
            foreach (var key in command.PersonKeys)
            {
                ids.Add((await people.OpenAsync(actor, key, ct)).Id);
            }
            var placed = await SiteRepository.AssignAsync(db, ids, new RoomChoice(command.SiteKey, command.RoomNo, command.UseReserve, command.Split ? reason : null), actor.Name, ct);
            string[] allowed = [.. new[] { command.UseReserve ? "reserve rooms allowed" : null, command.Split ? "household may split" : null }.OfType<string>()];
            var why = reason is null ? "" : $" ({string.Join(", ", allowed)}: {reason})";
            return ((IReadOnlyList<Placement>)placed, string.Join("; ", placed.Select(p => $"#{p.PersonId} → {p.SiteKey} {p.RoomNo}")) + why);
        });
    }
}

/// <summary>The selected contacts of a list's bulk action, by internal person id.</summary>
public sealed record BulkCommand(IReadOnlyList<int> PersonIds);

/// <summary>What a bulk action did: how many it moved and how many of the selection it left as they were.</summary>
public sealed record BulkOutcome(int Done, int Left);

/// <summary>
/// The contacts list's bulk actions: notify every selected identified order, or place every selected
/// person waiting for a site. People outside the actor's jurisdiction are left out whatever the form
/// says; audited as <c>contact.bulk.notify</c> / <c>contact.bulk.place</c>.
/// </summary>
public sealed class BulkControl(Database db, AuditSink audit)
{
    public Task<BulkOutcome> NotifyAsync(Actor actor, BulkCommand command, CancellationToken ct = default) =>
        RunAsync(actor, "notify", command, async orders =>
        {
            var toNotify = orders.Where(o => o.Status == ControlStatus.Identified).Select(o => o.Id).ToList();
            await using var s = await StoreSession.BeginAsync(db, ct);
            var moved = await ControlActions.MoveManyAsync(s, toNotify, ControlStatus.Identified, ControlStatus.Notified, actor.Name, LoopLog.Write("bulkNotified"), ct);
            await s.CommitAsync(ct);
            return new BulkOutcome(moved, command.PersonIds.Count - moved);
        }, ct);

    public Task<BulkOutcome> PlaceAsync(Actor actor, BulkCommand command, CancellationToken ct = default) =>
        RunAsync(actor, "place", command, async orders =>
        {
            var toPlace = orders.Where(o => StatusSets.AwaitingRoom(o.Measure, o.Status)).Select(o => o.PersonId).ToList();
            var placed = toPlace.Count == 0 ? [] : await SiteRepository.AssignAsync(db, toPlace, new RoomChoice(), actor.Name, ct);
            return new BulkOutcome(placed.Count, command.PersonIds.Count - placed.Count(p => command.PersonIds.Contains(p.PersonId)));
        }, ct);

    private Task<BulkOutcome> RunAsync(Actor actor, string action, BulkCommand command, Func<List<ControlOrder>, Task<BulkOutcome>> act, CancellationToken ct)
    {
        actor.Require(Permission.ControlPeople);
        return audit.AuditedAsync(actor, $"contact.bulk.{action}", $"jurisdiction:{actor.Jurisdiction.Value}", async () =>
        {
            var people = await PersonRepository.LoadByIdsAsync(db, command.PersonIds, ct);
            var inScope = people.Where(p => actor.Sees(p.Person.CommunityCode)).Select(p => p.Id).ToHashSet();
            var orders = (await ControlRepository.ActiveForManyAsync(db, [.. inScope], ct)).Values.ToList();
            var outcome = await act(orders);
            return (outcome, AuditDetail.Write("bulkDone", Phrase.Number(outcome.Done), Phrase.Number(command.PersonIds.Count), string.Join(",", command.PersonIds.Take(50))));
        });
    }
}
