using System.CommandLine;
using System.Globalization;
using Fangkong.Application.Cases;
using Fangkong.Exposures;
using Fangkong.Storage.Cases;
using Fangkong.Storage.Checkins;
using Fangkong.Storage.Exposures;
using Fangkong.Storage.Jurisdictions;
using Fangkong.Storage.Venues;
using Fangkong.Storage;
using Fangkong.Time;
using Fangkong.Tracing;

namespace Fangkong.Cli.Commands;

/// <summary><c>fangkong itinerary</c> and <c>fangkong notice</c>: a case's movements in its tracing window.</summary>
internal static class ItineraryCommand
{
    private static readonly Option<string> Policy = new("--policy") { Description = "Policy profile whose tracing window applies.", DefaultValueFactory = _ => "cn-v8-2021" };

    public static Command BuildItinerary()
    {
        var caseId = new Argument<string>("case") { Description = "person_id of the case." };
        var command = new Command("itinerary", "A case's itinerary (活动轨迹) over its tracing window: check-ins, interview entries and manual exposures, in time order.") { caseId, Policy };
        command.Subcommands.Add(BuildAdd());
        command.SetAction(async (parse, ct) =>
        {
            await using var db = await CommandLine.OpenStoreAsync(parse, ct);
            foreach (var s in await StopsAsync(parse, db, parse.GetValue(caseId)!, ct))
            {
                System.Console.WriteLine($"{db.Calendar.Format(s.Start)} – {db.Calendar.Format(s.End)}  {s.Place} ({s.Area})  [{s.Source}]");
            }
            return 0;
        });
        return command;
    }

    private static Command BuildAdd()
    {
        var caseId = new Argument<string>("case") { Description = "person_id of the case." };
        var place = new Option<string>("--place") { Description = "The place as the case described it, e.g. '金凤区某农贸市场'.", Required = true };
        var from = new Option<string>("--from") { Description = "Start, ISO 8601 with offset.", Required = true };
        var to = new Option<string>("--to") { Description = "End, ISO 8601 with offset.", Required = true };
        var note = new Option<string?>("--note") { Description = "Investigator's note (not published)." };
        var command = new Command("add", "Add a place and time span from the interview (流调) to a case's itinerary.") { caseId, place, from, to, note };
        command.SetAction(async (parse, ct) =>
        {
            await using var app = await CliApp.OpenAsync(parse, ct);
            var db = app.Db;
            await CaseCommand.FindCaseAsync(db, parse.GetValue(caseId)!, ct);
            long Time(string text, string option) =>
                IsoTime.TryParse(text, db.Calendar, out var t) && IsoTime.HasOffset(text) ? t : throw new UsageException($"{option} '{text}' is not an ISO 8601 time with an offset.");
            var (start, end) = (Time(parse.GetValue(from)!, "--from"), Time(parse.GetValue(to)!, "--to"));
            if (end < start)
            {
                throw new UsageException("--to is before --from.");
            }
            if (string.IsNullOrWhiteSpace(parse.GetValue(place)))
            {
                throw new UsageException("--place is empty.");
            }
            await app.Get<AddItineraryEntry>().HandleAsync(app.Actor, new ItineraryEntryCommand(parse.GetValue(caseId)!, parse.GetValue(place)!, start, end, parse.GetValue(note)), ct);
            System.Console.WriteLine($"added to the itinerary of {parse.GetValue(caseId)}: {parse.GetValue(place)} {db.Calendar.Format(start)} – {db.Calendar.Format(end)}");
            return 0;
        });
        return command;
    }

    public static Command BuildNotice()
    {
        var caseId = new Argument<string>("case") { Description = "person_id of the case." };
        var command = new Command("notice", "A de-identified public trajectory notice (轨迹公告) in Chinese: places and time spans, no names.") { caseId, Policy };
        command.SetAction(async (parse, ct) =>
        {
            await using var db = await CommandLine.OpenStoreAsync(parse, ct);
            var stops = (await StopsAsync(parse, db, parse.GetValue(caseId)!, ct)).Where(s => s.Source is "check-in" or "interview").ToList();
            System.Console.WriteLine(Notice(stops, db.Calendar));
            return 0;
        });
        return command;
    }

    /// <summary>Dates as 10月17日, times as 19:00—21:00; only public places (venues), never household contacts.</summary>
    internal static string Notice(IReadOnlyList<ItineraryStop> stops, DeploymentCalendar calendar)
    {
        var text = new System.Text.StringBuilder("病例活动轨迹公告\n\n");
        if (stops.Count == 0)
        {
            return text.Append("流调期间未发现该病例到访公共场所。\n").ToString();
        }
        foreach (var day in stops.GroupBy(s => calendar.LocalDate(s.Start)))
        {
            text.Append(CultureInfo.InvariantCulture, $"{day.Key.Month}月{day.Key.Day}日：");
            text.AppendJoin("；", day.Select(s => $"{calendar.ToLocal(s.Start):HH:mm}—{calendar.ToLocal(s.End):HH:mm} 到访{s.Area}{s.Place}"));
            text.Append("。\n");
        }
        text.Append("\n请同期到过上述场所的人员立即向所在社区报备，配合落实核酸检测等防控措施。");
        return text.ToString();
    }

    private static async Task<List<ItineraryStop>> StopsAsync(ParseResult parse, Database db, string key, CancellationToken ct)
    {
        var person = await CaseCommand.FindPersonAsync(db, key, ct);
        var c = await CaseCommand.FindCaseAsync(db, key, ct);
        return await Itinerary.LoadAsync(db, c, PolicyCommand.Load(parse).Get(parse.GetValue(Policy)!), ct: ct);
    }
}
