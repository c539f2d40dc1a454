using Fangkong.Application.Access;
using Fangkong.Application.Audit;
using Fangkong.Input;
using Fangkong.Jurisdictions;
using Fangkong.Staff;
using Fangkong.Storage.Staff;
using Fangkong.Storage;
using Fangkong.Text;

namespace Fangkong.Application.Staff;

public sealed record AddStaffCommand(string Key, string Name, StaffRole Role, JurisdictionCode Jurisdiction, string? Phone);

/// <summary>Registers a responder (staff) in a division of the actor's jurisdiction; a community worker becomes a monitor (包保责任人) there.</summary>
public sealed class AddStaff(Database db, AuditSink audit)
{
    public Task HandleAsync(Actor actor, AddStaffCommand command, CancellationToken ct = default)
    {
        actor.Require(Permission.ControlPeople);
        return audit.AuditedAsync(actor, "staff.add", $"staff:{command.Key}", async () =>
        {
            FreeText.Require("name", command.Name, FreeText.Short);
            FreeText.Require("phone", command.Phone, FreeText.Short);
            actor.RequireSees(command.Jurisdiction.Value, $"jurisdiction:{command.Jurisdiction.Value}");
            await using var s = await StoreSession.BeginAsync(db, ct);
            await StaffRepository.AddAsync(s, [(command.Key, command.Name, command.Role, command.Jurisdiction, command.Phone)], ct);
            await s.CommitAsync(ct);
            return (0, AuditDetail.Write("staff", command.Name, Phrase.Text("role." + command.Role), command.Jurisdiction.Value));
        });
    }
}
