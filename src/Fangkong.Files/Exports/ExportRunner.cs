using System.Globalization;
using Fangkong.Cases;
using Fangkong.Exposures;
using Fangkong.Files.Csv;
using Fangkong.People;
using Fangkong.Storage;
using Fangkong.Storage.Cases;
using Fangkong.Storage.Checkins;
using Fangkong.Storage.Exposures;
using Fangkong.Storage.Jurisdictions;
using Fangkong.Storage.People;
using Fangkong.Storage.Venues;
using MiniExcelLibs;

namespace Fangkong.Files.Exports;

/// <summary>
/// Writes the store back out in SPEC 4.1's formats: a CSV with a header row in the columns' order,
/// or an Excel workbook (.xlsx) with the same columns for lists people open by hand.
/// Merged person records are not written; their stays and exposures appear under the surviving person.
/// </summary>
public static class ExportRunner
{
    public static async Task<long> RunAsync(Database db, FileKind kind, string path, CancellationToken ct = default)
    {
        var columns = FileColumns.ExportOrder(kind);
        var rows = kind switch
        {
            FileKind.Persons => await PersonsAsync(db, ct),
            FileKind.Venues => await VenuesAsync(db, ct),
            FileKind.Checkins => CheckinsAsync(db, ct),
            FileKind.Exposures => await ExposuresAsync(db, ct),
            FileKind.Cases => await CasesAsync(db, ct),
            FileKind.Jurisdictions => await JurisdictionsAsync(db, ct),
            FileKind.Transport => await TransportAsync(db, ct),
            FileKind.GridStays => GridStaysAsync(db, ct),
            FileKind.Samples => await SamplesAsync(db, ct),
            FileKind.KeyGroups => await KeyGroupsAsync(db, ct),
            FileKind.Results => await ResultsAsync(db, ct),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        return await WriteAsync(path, columns, rows, ct);
    }

    /// <summary>The columns of <c>export orders</c>, in their order.</summary>
    public static readonly string[] OrderColumns = ["person_id", "group", "measure", "status", "start", "planned_end", "policy"];

    /// <summary>
    /// Every active control order (one a person): the person, the group (close, secondary, case, grid, an
    /// arrival group…), the measure, the loop's status, the start and planned end dates and the profile
    /// that set it.
    /// </summary>
    public static async Task<long> OrdersAsync(Database db, string path, CancellationToken ct = default)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await Dapper.SqlMapper.QueryAsync<(string Person, string Group, string Measure, string Status, string Start, string? End, string Policy)>(c, new Dapper.CommandDefinition("""
            SELECT p.person_key, o.grp, o.measure, o.status, o.start_date, o.planned_end, o.policy_id
            FROM control_orders o JOIN persons p ON p.id = o.person_id
            WHERE o.active = 1 ORDER BY p.person_key
            """, cancellationToken: ct));
        return await WriteAsync(path, OrderColumns, rows.Select(r => new string?[] { r.Person, r.Group, r.Measure, r.Status, r.Start, r.End, r.Policy }).ToAsyncEnumerable(), ct);
    }

    private static async Task<long> WriteAsync(string path, string[] columns, IAsyncEnumerable<string?[]> rows, CancellationToken ct)
    {
        if (path.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase))
        {
            var list = new List<Dictionary<string, object?>>();
            await foreach (var r in rows.WithCancellation(ct))
            {
                list.Add(columns.Zip(r).ToDictionary(x => x.First, x => (object?)x.Second, StringComparer.Ordinal));
            }
            await MiniExcel.SaveAsAsync(path, list, overwriteFile: true, cancellationToken: ct);
            return list.Count;
        }
        long count = 0;
        await using var output = new CsvOutput(path);
        output.Row(columns);
        await foreach (var r in rows.WithCancellation(ct))
        {
            output.Row(r);
            count++;
        }
        return count;
    }

    private static string? Iso(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Each internal id to the key of the surviving person (following merges).</summary>
    private static async Task<Dictionary<int, string>> PersonKeysAsync(Database db, CancellationToken ct)
    {
        var all = (await PersonRepository.LoadAllAsync(db, ct)).ToDictionary(p => p.Id);
        string Surviving(StoredPerson p)
        {
            for (var hops = 0; p.MergedInto is { } next && hops < 100; hops++)
            {
                p = all[next];
            }
            return p.Person.PersonKey;
        }
        return all.Values.ToDictionary(p => p.Id, Surviving);
    }

    private static async Task<IAsyncEnumerable<string?[]>> PersonsAsync(Database db, CancellationToken ct)
    {
        var people = await PersonRepository.LoadAllAsync(db, ct);
        return people.Where(p => p.MergedInto is null).Select(s =>
        {
            var p = s.Person;
            return new[] { p.PersonKey, p.IdType?.ToCode(), p.IdNumber, p.Name, p.Sex?.ToCode(), Iso(p.BirthDate), p.Phone, p.CommunityCode, p.Address };
        }).ToAsyncEnumerable();
    }

    private static async Task<IAsyncEnumerable<string?[]>> VenuesAsync(Database db, CancellationToken ct) =>
        (await VenueRepository.LoadAllAsync(db, ct)).Select(s =>
        {
            var v = s.Venue;
            return new[] { v.VenueKey, v.Name, v.Type, v.CommunityCode, v.Capacity?.ToString(CultureInfo.InvariantCulture), v.Enclosed is null ? null : v.Enclosed.Value ? "true" : "false" };
        }).ToAsyncEnumerable();

    private static async IAsyncEnumerable<string?[]> CheckinsAsync(Database db, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var people = await PersonKeysAsync(db, ct);
        var venues = (await VenueRepository.LoadAllAsync(db, ct)).ToDictionary(v => v.Id, v => v.Venue.VenueKey);
        var store = await CheckinStores.OpenAsync(db, ct);
        foreach (var info in await store.ListDaysAsync(ct))
        {
            var day = await store.ReadDayAsync(info.Day, ct);
            for (var i = 0; i < day.Count; i++)
            {
                yield return [people[day.Person[i]], venues[day.Venue[i]], db.Calendar.Format(day.CheckIn(i)), db.Calendar.Format(day.CheckOut(i))];
            }
        }
    }

    private static async IAsyncEnumerable<string?[]> GridStaysAsync(Database db, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var people = await PersonKeysAsync(db, ct);
        var cells = await Storage.Grid.GridCellRepository.LoadAllAsync(db, ct);
        var store = await CheckinStores.OpenAsync(db, StayKind.GridStays, ct);
        foreach (var info in await store.ListDaysAsync(ct))
        {
            var day = await store.ReadDayAsync(info.Day, ct);
            for (var i = 0; i < day.Count; i++)
            {
                yield return [people[day.Person[i]], cells[day.Venue[i]], db.Calendar.Format(day.CheckIn(i)), db.Calendar.Format(day.CheckOut(i))];
            }
        }
    }

    private static async Task<IAsyncEnumerable<string?[]>> KeyGroupsAsync(Database db, CancellationToken ct)
    {
        var people = await PersonKeysAsync(db, ct);
        return (await Storage.Testing.KeyGroupRepository.LoadAllAsync(db, ct))
            .Select(m => new string?[] { people[m.PersonId], m.Group, m.FrequencyDays.ToString(CultureInfo.InvariantCulture) }).ToAsyncEnumerable();
    }

    private static async Task<IAsyncEnumerable<string?[]>> SamplesAsync(Database db, CancellationToken ct)
    {
        var people = await PersonKeysAsync(db, ct);
        return (await Storage.Testing.TubeRepository.LoadAllAsync(db, ct)).Values.OrderBy(t => t.Id)
            .SelectMany(t => t.Members.Order().Select(p => new string?[] { t.Key, people[p], db.Calendar.Format(t.SampledAt), t.Site, t.Round }))
            .ToAsyncEnumerable();
    }

    private static async Task<IAsyncEnumerable<string?[]>> ResultsAsync(Database db, CancellationToken ct) =>
        (await Storage.Testing.TubeRepository.LoadForResultsAsync(db, ct)).Values.Where(t => t.Result is not null).OrderBy(t => t.Id)
            .Select(t => new string?[] { t.Key, t.Result, db.Calendar.Format(t.TestedAt!.Value), t.Lab }).ToAsyncEnumerable();

    private static async Task<IAsyncEnumerable<string?[]>> ExposuresAsync(Database db, CancellationToken ct)
    {
        var people = await PersonKeysAsync(db, ct);
        return (await ExposureRepository.LoadAllAsync(db, ct)).Select(e => new string?[]
        {
            people[e.PersonId], people[e.OtherPersonId], e.Setting.ToCode(), db.Calendar.Format(e.Start), db.Calendar.Format(e.End),
        }).ToAsyncEnumerable();
    }

    private static async Task<IAsyncEnumerable<string?[]>> CasesAsync(Database db, CancellationToken ct)
    {
        var people = await PersonKeysAsync(db, ct);
        string? T(long? t) => t is null ? null : db.Calendar.Format(t.Value);
        return (await CaseRepository.LoadAllAsync(db, ct)).Where(c => c.Classification != CaseClassification.NotACase).Select(c => new string?[]
        {
            people[c.PersonId], c.Classification.ToCode(), Iso(c.OnsetDate), T(c.SamplingTime), T(c.ReportTime), T(c.IsolationTime),
        }).ToAsyncEnumerable();
    }

    private static async Task<IAsyncEnumerable<string?[]>> TransportAsync(Database db, CancellationToken ct)
    {
        var people = await PersonKeysAsync(db, ct);
        return (await Storage.Transport.TransportRepository.LoadAllAsync(db, ct)).Select(l => new string?[]
        {
            people[l.Person], l.Mode.ToString().ToLowerInvariant(), l.Number, db.Calendar.Format(l.Departure), db.Calendar.Format(l.Arrival), l.Car, l.Row?.ToString(CultureInfo.InvariantCulture), l.Seat,
        }).ToAsyncEnumerable();
    }

    private static async Task<IAsyncEnumerable<string?[]>> JurisdictionsAsync(Database db, CancellationToken ct) =>
        (await JurisdictionRepository.LoadAllAsync(db, ct)).Select(j => new string?[]
        {
            j.Code.Value, j.Name, j.ParentCode?.Value, j.Population?.ToString(CultureInfo.InvariantCulture),
        }).ToAsyncEnumerable();
}
