using System.CommandLine;
using System.Globalization;
using Fangkong.Exposures;
using Fangkong.Storage;
using Fangkong.Storage.Checkins;
using Fangkong.Storage.Exposures;
using Fangkong.Storage.Jurisdictions;
using Fangkong.Storage.Venues;
using Fangkong.Time;
using Fangkong.Tracing;

namespace Fangkong.Cli.Commands;

/// <summary>One stop of a case's itinerary: where, when, and from which source.</summary>
internal sealed record ItineraryStop(long Start, long End, string Place, string Area, string Source);

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
            await using var db = await CommandLine.OpenStoreAsync(parse, ct);
            var c = await CaseCommand.FindCaseAsync(db, parse.GetValue(caseId)!, ct);
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
            await Storage.Cases.InterviewRepository.AddAsync(db, new Storage.Cases.InterviewEntry(c.PersonId, parse.GetValue(place)!.Trim(), start, end, parse.GetValue(note)), ct);
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
        var policy = PolicyCommand.Load(parse).Get(parse.GetValue(Policy)!);
        var window = TracingWindow.For(c.OnsetDate, c.SamplingTime, c.ReportTime, c.IsolationTime, policy.Tracing.WindowDaysBefore, db.Calendar);
        var venues = (await VenueRepository.LoadAllAsync(db, ct)).ToDictionary(v => v.Id);
        var areas = (await JurisdictionRepository.LoadAllAsync(db, ct)).ToDictionary(j => j.Code.Value, j => j.Name);
        string Area(string? code) => code is not null && areas.TryGetValue(code.Length > 6 ? code[..6] : code, out var name) ? name : "";
        var stops = new List<ItineraryStop>();
        var store = await CheckinStores.OpenAsync(db, ct);
        var days = await store.ListDaysAsync(ct);
        var lookback = days.Count == 0 ? 0 : days.Max(d => d.MaxDuration);
        foreach (var info in days.Where(d => DeploymentCalendar.FromDayNumber(d.Day) >= db.Calendar.LocalDate(window.Start - lookback) && DeploymentCalendar.FromDayNumber(d.Day) <= db.Calendar.LocalDate(window.End)))
        {
            var day = await store.ReadDayAsync(info.Day, ct);
            for (var i = 0; i < day.Count; i++)
            {
                if (day.Person[i] == person.Id && day.CheckOut(i) > window.Start && day.CheckIn(i) < window.End)
                {
                    var v = venues[day.Venue[i]].Venue;
                    stops.Add(new ItineraryStop(day.CheckIn(i), day.CheckOut(i), v.Name ?? v.VenueKey, Area(v.CommunityCode), "check-in"));
                }
            }
        }
        foreach (var entry in await Storage.Cases.InterviewRepository.ForPersonAsync(db, person.Id, ct))
        {
            if (entry.End > window.Start && entry.Start < window.End)
            {
                stops.Add(new ItineraryStop(entry.Start, entry.End, entry.Place, "", "interview"));
            }
        }
        foreach (var e in (await ExposureRepository.LoadAllAsync(db, ct)).Where(e => (e.PersonId == person.Id || e.OtherPersonId == person.Id) && e.End > window.Start && e.Start < window.End))
        {
            stops.Add(new ItineraryStop(Math.Max(e.Start, window.Start), Math.Min(e.End, window.End), $"{e.Setting.ToCode()} exposure", "", "exposure"));
        }
        return stops.OrderBy(s => s.Start).ToList();
    }
}
