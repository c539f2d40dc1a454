using Fangkong.Cases;
using Fangkong.Exposures;
using Fangkong.Policies;
using Fangkong.Storage.Checkins;
using Fangkong.Storage.Exposures;
using Fangkong.Storage.Jurisdictions;
using Fangkong.Storage.Venues;
using Fangkong.Time;
using Fangkong.Tracing;

namespace Fangkong.Storage.Cases;

/// <summary>One stop of a case's itinerary: where, when (Unix seconds), in which area, and from which source (check-in, interview, exposure; for an exposure its setting code).</summary>
public sealed record ItineraryStop(long Start, long End, string Place, string Area, string Source, string? Setting = null);

/// <summary>A case's movements in its tracing window (活动轨迹): venue check-ins, interview entries and manual exposures, in time order.</summary>
public static class Itinerary
{
    public static async Task<List<ItineraryStop>> LoadAsync(Database db, StoredCase c, PolicyProfile policy, CancellationToken ct = default)
    {
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
                if (day.Person[i] == c.PersonId && day.CheckOut(i) > window.Start && day.CheckIn(i) < window.End)
                {
                    var v = venues[day.Venue[i]].Venue;
                    stops.Add(new ItineraryStop(day.CheckIn(i), day.CheckOut(i), v.Name ?? v.VenueKey, Area(v.CommunityCode), "check-in"));
                }
            }
        }
        foreach (var entry in await InterviewRepository.ForPersonAsync(db, c.PersonId, ct))
        {
            if (entry.End > window.Start && entry.Start < window.End)
            {
                stops.Add(new ItineraryStop(entry.Start, entry.End, entry.Place, "", "interview"));
            }
        }
        foreach (var e in (await ExposureRepository.ForPersonAsync(db, c.PersonId, ct)).Where(e => e.End > window.Start && e.Start < window.End))
        {
            stops.Add(new ItineraryStop(Math.Max(e.Start, window.Start), Math.Min(e.End, window.End), $"{e.Setting.ToCode()} exposure", "", "exposure", e.Setting.ToCode()));
        }
        return stops.OrderBy(s => s.Start).ToList();
    }
}
