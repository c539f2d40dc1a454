using Fangkong.Application.Access;
using Fangkong.Application.Audit;
using Fangkong.Application.Control;
using Fangkong.Control;
using Fangkong.Input;
using Fangkong.Storage.Cases;
using Fangkong.Storage;

namespace Fangkong.Application.Cases;

/// <summary>A place and time from the interview (流调), in Unix seconds.</summary>
public sealed record ItineraryEntryCommand(string PersonKey, string Place, long Start, long End, string? Note);

/// <summary>Adds an interview entry to a case's itinerary (活动轨迹); refused when it ends before it starts or names no place.</summary>
public sealed class AddItineraryEntry(Database db, PeopleInScope people, AuditSink audit)
{
    public Task HandleAsync(Actor actor, ItineraryEntryCommand command, CancellationToken ct = default)
    {
        actor.Require(Permission.EditCases);
        return audit.AuditedAsync(actor, "itinerary.add", $"person:{command.PersonKey}", async () =>
        {
            FreeText.Require("place", command.Place, FreeText.Medium);
            FreeText.Require("note", command.Note, FreeText.Long, multiline: true);
            if (string.IsNullOrWhiteSpace(command.Place))
            {
                throw new RefusedException("an itinerary entry needs a place", "itinerary.place");
            }
            if (command.End < command.Start)
            {
                throw new RefusedException("an itinerary entry ends before it starts", "itinerary.endBeforeStart");
            }
            var person = await people.OpenAsync(actor, command.PersonKey, ct);
            await InterviewRepository.AddAsync(db, new InterviewEntry(person.Id, command.Place.Trim(), command.Start, command.End, command.Note), ct);
            return (0, command.Place.Trim());
        });
    }
}
