using System.CommandLine;
using Fangkong.Application.Staff;
using Fangkong.Jurisdictions;
using Fangkong.Staff;
using Fangkong.Storage.Staff;
using Fangkong.Storage;
using Spectre.Console;

namespace Fangkong.Cli.Commands;

/// <summary><c>fangkong staff add|list</c>: the people who answer for tasks and monitor controlled people.</summary>
internal static class StaffCommand
{
    public static Command Build()
    {
        var command = new Command("staff", "Staff (工作人员): each with a role and a jurisdiction; owners of tasks and monitors (包保责任人) of controlled people.");
        command.Subcommands.Add(Add());
        command.Subcommands.Add(List());
        return command;
    }

    private static Command Add()
    {
        var key = new Argument<string>("staff_key") { Description = "A unique key for the member of staff (e.g. a work number)." };
        var name = new Option<string>("--name") { Description = "Full name.", Required = true };
        var role = new Option<string>("--role") { Description = "One of: " + string.Join(", ", StaffRoles.StaffCodes) + ".", Required = true };
        role.AcceptOnlyFromAmong([.. StaffRoles.StaffCodes]);
        var jurisdiction = new Option<string>("--jurisdiction") { Description = "GB/T 2260 code of the division they work for (region, city, county, township or community).", Required = true };
        var phone = new Option<string?>("--phone") { Description = "Mobile number." };
        var command = new Command("add", "Add a member of staff.") { key, name, role, jurisdiction, phone };
        command.SetAction(async (parse, ct) =>
        {
            if (!JurisdictionCode.TryParse(parse.GetValue(jurisdiction), out var code, out var error))
            {
                throw new UsageException($"--jurisdiction {error}.");
            }
            if (!StaffRoles.TryParse(parse.GetValue(role), out var r) || r == StaffRole.Person)
            {
                throw new UsageException($"--role must be one of {string.Join(", ", StaffRoles.StaffCodes)}.");
            }
            await using var app = await CliApp.OpenAsync(parse, ct);
            await app.Get<AddStaff>().HandleAsync(app.Actor, new AddStaffCommand(parse.GetValue(key)!, parse.GetValue(name)!, r, code, parse.GetValue(phone)), ct);
            System.Console.WriteLine($"staff {parse.GetValue(key)}: {parse.GetValue(name)}, {r.ToCode()} ({r.ToChinese()}) in {code}");
            return 0;
        });
        return command;
    }

    private static Command List()
    {
        var within = new Option<string?>("--within") { Description = "Only staff of this division and below." };
        var command = new Command("list", "List staff.") { within };
        command.SetAction(async (parse, ct) =>
        {
            await using var db = await CommandLine.OpenStoreAsync(parse, ct);
            var staff = await StaffRepository.ListAsync(db, ControlCommand.Within(parse, within), ct);
            var table = new Table().AddColumns("staff_key", "name 姓名", "role 角色", "jurisdiction 辖区", "phone");
            foreach (var m in staff)
            {
                table.AddRow(Markup.Escape(m.Key), Markup.Escape(m.Name), $"{m.Role.ToCode()} {m.Role.ToChinese()}", m.Jurisdiction.Value, Markup.Escape(m.Phone ?? ""));
            }
            Fangkong.Cli.Console.Screen.Write(table);
            System.Console.WriteLine($"{staff.Count} member(s) of staff.");
            return 0;
        });
        return command;
    }
}
