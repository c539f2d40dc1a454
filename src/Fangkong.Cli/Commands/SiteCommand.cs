using System.CommandLine;
using System.Globalization;
using Fangkong.Application.Control;
using Fangkong.Application.Sites;
using Fangkong.Jurisdictions;
using Fangkong.Storage.Sites;
using Spectre.Console;

namespace Fangkong.Cli.Commands;

/// <summary><c>fangkong site add|list|rooms|assign|checkout|staff</c>: quarantine sites (集中隔离点).</summary>
internal static class SiteCommand
{
    public static Command Build()
    {
        var command = new Command("site", "Quarantine sites (集中隔离点): rooms, reserve rooms (备而不用), staff, occupancy and room assignment.");
        command.Subcommands.Add(Add());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Rooms());
        command.Subcommands.Add(Assign());
        command.Subcommands.Add(CheckOut());
        command.Subcommands.Add(StaffOf());
        return command;
    }

    private static Option<string?> RoomsOption(string name, string description) => new(name) { Description = description + " Numbers or ranges, e.g. 101-130,201,202." };

    private static Command Add()
    {
        var key = new Argument<string>("site_key") { Description = "A unique key for the site." };
        var name = new Option<string>("--name") { Description = "The site's name.", Required = true };
        var county = new Option<string>("--county") { Description = "The county it serves (6-digit GB/T 2260 code).", Required = true };
        var address = new Option<string?>("--address") { Description = "Address." };
        var single = RoomsOption("--rooms", "Single rooms (one person each).");
        var household = RoomsOption("--household-rooms", "Household rooms (one household each).");
        var capacity = new Option<int>("--household-capacity") { Description = "Places in a household room.", DefaultValueFactory = _ => 4 };
        var reserve = RoomsOption("--reserve-rooms", "Reserve single rooms kept empty (备而不用) until opened with --use-reserve.");
        var command = new Command("add", "Add a quarantine site with its rooms. Existing sites get more rooms with 'site rooms KEY --add …'.") { key, name, county, address, single, household, capacity, reserve };
        command.SetAction(async (parse, ct) =>
        {
            if (!JurisdictionCode.TryParse(parse.GetValue(county), out var code, out var error))
            {
                throw new UsageException($"--county {error}.");
            }
            var rooms = Specs(parse.GetValue(single), false, 1, false, "--rooms")
                .Concat(Specs(parse.GetValue(household), true, parse.GetValue(capacity), false, "--household-rooms"))
                .Concat(Specs(parse.GetValue(reserve), false, 1, true, "--reserve-rooms")).ToList();
            if (rooms.Count == 0)
            {
                throw new UsageException("a site needs rooms: give --rooms, --household-rooms or --reserve-rooms.");
            }
            await using var app = await CliApp.OpenAsync(parse, ct);
            await app.Get<AddSite>().HandleAsync(app.Actor, new AddSiteCommand(parse.GetValue(key)!, parse.GetValue(name)!, code, parse.GetValue(address), rooms), ct);
            System.Console.WriteLine($"site {parse.GetValue(key)}: {rooms.Count} rooms ({rooms.Count(r => r.Reserve)} reserve) in {code}");
            return 0;
        });
        return command;
    }

    private static Command List()
    {
        var date = new Option<string?>("--date") { Description = "The day, YYYY-MM-DD (default today)." };
        var command = new Command("list", "Sites with their rooms and occupancy on a day.") { date };
        command.SetAction(async (parse, ct) =>
        {
            await using var db = await CommandLine.OpenStoreAsync(parse, ct);
            var day = parse.GetValue(date) is { } d
                ? DateOnly.TryParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var x) ? x : throw new UsageException($"--date '{d}' is not a date YYYY-MM-DD.")
                : db.Calendar.LocalDate(db.Now);
            var sites = await SiteRepository.OccupancyAsync(db, day, ct);
            var table = new Table().AddColumns("site", "name 名称", "county 区县", "rooms 房间", "reserve 备用", "occupied 已用", "people 人数", "free 空余");
            foreach (var s in sites)
            {
                table.AddRow(Markup.Escape(s.SiteKey), Markup.Escape(s.Name), s.County, $"{s.Rooms}", $"{s.ReserveRooms}", $"{s.OccupiedRooms}", $"{s.Occupants}", $"{s.FreeRooms}");
            }
            Fangkong.Cli.Console.Screen.Write(table);
            System.Console.WriteLine($"{sites.Count} site(s) on {day:yyyy-MM-dd}: {sites.Sum(s => s.Occupants)} people in {sites.Sum(s => s.OccupiedRooms)} of {sites.Sum(s => s.Rooms)} rooms; {sites.Sum(s => s.FreeRooms)} free, {sites.Sum(s => s.ReserveRooms)} reserve.");
            return 0;
        });
        return command;
    }

    private static Command Rooms()
    {
        var key = new Argument<string>("site_key") { Description = "The site." };
        var add = RoomsOption("--add", "Add single rooms.");
        var addHousehold = RoomsOption("--add-household", "Add household rooms.");
        var capacity = new Option<int>("--household-capacity") { Description = "Places in a household room.", DefaultValueFactory = _ => 4 };
        var addReserve = RoomsOption("--add-reserve", "Add reserve rooms.");
        var command = new Command("rooms", "Show a site's rooms and who is in them, or add rooms.") { key, add, addHousehold, capacity, addReserve };
        command.SetAction(async (parse, ct) =>
        {
            await using var app = await CliApp.OpenAsync(parse, ct);
            var db = app.Db;
            var specs = Specs(parse.GetValue(add), false, 1, false, "--add").Concat(Specs(parse.GetValue(addHousehold), true, parse.GetValue(capacity), false, "--add-household"))
                .Concat(Specs(parse.GetValue(addReserve), false, 1, true, "--add-reserve")).ToList();
            if (specs.Count > 0)
            {
                await app.Get<AddRooms>().HandleAsync(app.Actor, parse.GetValue(key)!, specs, ct);
                System.Console.WriteLine($"site {parse.GetValue(key)}: {specs.Count} room(s) added");
            }
            var rooms = await SiteRepository.RoomsAsync(db, parse.GetValue(key)!, ct);
            var table = new Table().AddColumns("room 房间", "kind 类型", "capacity", "occupants 在住", "reserve 备用");
            foreach (var r in rooms)
            {
                table.AddRow(Markup.Escape(r.RoomNo), r.Household ? "household 家庭" : "single 单人", $"{r.Capacity}", $"{r.Occupants}", r.Reserve ? "yes" : "");
            }
            Fangkong.Cli.Console.Screen.Write(table);
            System.Console.WriteLine($"{rooms.Count} room(s), {rooms.Count(r => r.Occupants > 0)} occupied, {rooms.Sum(r => r.Occupants)} people.");
            return 0;
        });
        return command;
    }

    private static Command Assign()
    {
        var people = new Argument<string[]>("person_id") { Description = "People to place; people of one household (same community and address) share a household room.", Arity = ArgumentArity.OneOrMore };
        var site = new Option<string?>("--site") { Description = "The site (default: suggested in the person's county, most free rooms first)." };
        var room = new Option<string?>("--room") { Description = "The room (with --site)." };
        var reserve = new Option<bool>("--use-reserve") { Description = "Allow reserve rooms (备而不用) to be opened (needs --reason)." };
        var split = new Option<bool>("--split") { Description = "When no room takes a household whole, split it over as few rooms as hold it (needs --reason)." };
        var reason = new Option<string?>("--reason") { Description = "Why reserve rooms are opened or the household is split (recorded)." };
        var command = new Command("assign", "Place people under centralized quarantine in rooms: never overfills a room, keeps a household together unless --split. All or nothing.") { people, site, room, reserve, split, reason };
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(room) is not null && parse.GetValue(site) is null)
            {
                throw new UsageException("--room needs --site.");
            }
            await using var app = await CliApp.OpenAsync(parse, ct);
            var db = app.Db;
            foreach (var key in parse.GetValue(people)!)
            {
                await CaseCommand.FindPersonAsync(db, key, ct);
            }
            var placed = await app.Get<PlaceInRooms>().HandleAsync(app.Actor, new PlaceInRoomsCommand(parse.GetValue(people)!, parse.GetValue(site), parse.GetValue(room), parse.GetValue(reserve), parse.GetValue(split), parse.GetValue(reason)), ct);
            var keys = await ControlCommand.KeysAsync(db, placed.Select(p => p.PersonId), ct);
            foreach (var p in placed)
            {
                System.Console.WriteLine($"{keys[p.PersonId].Key} → {p.SiteKey} room {p.RoomNo}");
            }
            return 0;
        });
        return command;
    }

    private static Command CheckOut()
    {
        var person = new Argument<string>("person_id") { Description = "The person leaving their room." };
        var command = new Command("checkout", "Check a person out of their room (release does this by itself).") { person };
        command.SetAction(async (parse, ct) =>
        {
            await using var app = await CliApp.OpenAsync(parse, ct);
            var p = await CaseCommand.FindPersonAsync(app.Db, parse.GetValue(person)!, ct);
            var left = await app.Get<CheckOutOfRoom>().HandleAsync(app.Actor, p.Person.PersonKey, ct);
            System.Console.WriteLine($"{p.Person.PersonKey} checked out of {left.SiteKey} room {left.RoomNo}");
            return 0;
        });
        return command;
    }

    private static Command StaffOf()
    {
        var site = new Argument<string>("site_key") { Description = "The site." };
        var staff = new Argument<string>("staff_key") { Description = "The member of staff." };
        var duty = new Option<string>("--duty") { Description = "Their duty at the site (e.g. 医护, 安保, 保洁, 负责人).", DefaultValueFactory = _ => "负责人" };
        var command = new Command("staff", "Put a member of staff on a site's team.") { site, staff, duty };
        command.SetAction(async (parse, ct) =>
        {
            await using var app = await CliApp.OpenAsync(parse, ct);
            await app.Get<AddSiteStaff>().HandleAsync(app.Actor, parse.GetValue(site)!, parse.GetValue(staff)!, parse.GetValue(duty)!, ct);
            System.Console.WriteLine($"site {parse.GetValue(site)}: {parse.GetValue(staff)} ({parse.GetValue(duty)})");
            return 0;
        });
        return command;
    }

    /// <summary>Room numbers from "101-130,201": ranges of numbers keep their width (0101-0110).</summary>
    internal static IEnumerable<RoomSpec> Specs(string? text, bool household, int capacity, bool reserve, string option)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            yield break;
        }
        if (household && capacity < 1)
        {
            throw new UsageException("--household-capacity must be at least 1.");
        }
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var dash = part.IndexOf('-', StringComparison.Ordinal);
            if (dash > 0 && int.TryParse(part[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var from) && int.TryParse(part[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var to))
            {
                if (to < from || to - from > 10_000)
                {
                    throw new UsageException($"{option} '{part}' is not a range from a lower to a higher number (at most 10,000 rooms).");
                }
                for (var n = from; n <= to; n++)
                {
                    yield return new RoomSpec(n.ToString(CultureInfo.InvariantCulture).PadLeft(dash, '0'), household, household ? capacity : 1, reserve);
                }
            }
            else
            {
                yield return new RoomSpec(part, household, household ? capacity : 1, reserve);
            }
        }
    }
}
