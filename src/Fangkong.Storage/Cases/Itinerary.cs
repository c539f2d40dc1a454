using Fangkong.Cases;
using Fangkong.Exposures;
using Fangkong.Policies;
using Fangkong.Storage.Checkins;
using Fangkong.Storage.Exposures;
using Fangkong.Storage.Jurisdictions;
using Fangkong.Storage.Tracing;
using Fangkong.Storage.Venues;
using Fangkong.Time;
using Fangkong.Tracing;

namespace Fangkong.Storage.Cases;

/// <summary>One stop of a case's itinerary: where, when (Unix seconds), in which area, and from which source (check-in, interview, exposure; for an exposure its setting code).</summary>
public sealed record ItineraryStop(long Start, long End, string Place, string Area, string Source, string? Setting = null);

/// <summary>A case's movements in its tracing window (活动轨迹): venue check-ins, interview entries and manual exposures, in time order.</summary>
public static class Itinerary
{
    /// <summary>
    /// The stops in the case's window. With the server's live index the check-ins come from memory
    /// (the person's merged records included); without it, from the days of the check-in store that
    /// overlap the window.
    /// </summary>
    public static async Task<List<ItineraryStop>> LoadAsync(Database db, StoredCase c, PolicyProfile policy, LiveStays? live = null, CancellationToken ct = default)
    {
        var window = TracingWindow.For(c.OnsetDate, c.SamplingTime, c.ReportTime, c.IsolationTime, policy.Tracing.WindowDaysBefore, db.Calendar);
        var checkins = live is not null ? await FromIndexAsync(db, live, c.PersonId, window, ct) : await FromStoreAsync(db, c.PersonId, window, ct);
        var venues = await VenueRepository.LoadByIdsAsync(db, checkins.Select(s => s.Venue), ct);
        var areas = (await JurisdictionRepository.LoadAllAsync(db, ct)).ToDictionary(j => j.Code.Value, j => j.Name);
        string Area(string? code) => code is not null && areas.TryGetValue(code.Length > 6 ? code[..6] : code, out var name) ? name : "";
        var stops = new List<ItineraryStop>();
        foreach (var stay in checkins)
        {
            var v = venues[stay.Venue].Venue;
            stops.Add(new ItineraryStop(stay.Start, stay.End, v.Name ?? v.VenueKey, Area(v.CommunityCode), "check-in"));
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

    private static async Task<List<Stay>> FromIndexAsync(Database db, LiveStays live, int personId, TracingWindow window, CancellationToken ct)
    {
        var canonical = await TraceData.CanonicalAsync(db, ct);
        var index = await live.IndexAsync(StayKind.Checkins, canonical, ct);
        var person = canonical.TryGetValue(personId, out var into) ? into : personId;
        return index.StaysOf(person).Where(s => s.End > window.Start && s.Start < window.End).ToList();
    }

    private static async Task<List<Stay>> FromStoreAsync(Database db, int personId, TracingWindow window, CancellationToken ct)
    {
        var stays = new List<Stay>();
        var store = await CheckinStores.OpenAsync(db, ct);
        var days = await store.ListDaysAsync(ct);
        var lookback = days.Count == 0 ? 0 : days.Max(d => d.MaxDuration);
        foreach (var info in days.Where(d => DeploymentCalendar.FromDayNumber(d.Day) >= db.Calendar.LocalDate(window.Start - lookback) && DeploymentCalendar.FromDayNumber(d.Day) <= db.Calendar.LocalDate(window.End)))
        {
            var day = await store.ReadDayAsync(info.Day, ct);
            for (var i = 0; i < day.Count; i++)
            {
                if (day.Person[i] == personId && day.CheckOut(i) > window.Start && day.CheckIn(i) < window.End)
                {
                    stays.Add(new Stay(day.Venue[i], personId, day.CheckIn(i), day.CheckOut(i)));
                }
            }
        }
        return stays;
    }
}
