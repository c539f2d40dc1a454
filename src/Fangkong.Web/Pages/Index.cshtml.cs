using System.Globalization;
using System.Text.Json;
using Fangkong.Storage.Reports;
using Fangkong.Storage.Tasks;
using Fangkong.Storage;
using Fangkong.Tasks;
using Fangkong.Web.Access;
using Fangkong.Web.Lists;
using Fangkong.Web.Text;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc;

namespace Fangkong.Web.Pages;

/// <summary>
/// The command dashboard (C13): today's figures against yesterday's, the epidemic curve, the county map,
/// the timeliness scorecard (四早) of the jurisdictions below and the overdue tasks, for the viewer's
/// jurisdiction; every figure, county and row links to the list behind it. <c>?wall=1</c> lays it out
/// for a 1920×1080 wall screen, readable across a room, without scrolling.
/// </summary>
public sealed class IndexModel(Database db, Viewer viewer, UiText text, JurisdictionDirectory directory, FigureCache figures, Fangkong.Application.Policies.StorePolicy policies) : FangkongPage
{
    public Viewer Viewer => viewer;

    public DashboardFigures Figures { get; private set; } = null!;

    public IReadOnlyList<TaskGroup> Overdue { get; private set; } = [];

    public string Today { get; private set; } = "";

    public string JurisdictionName { get; private set; } = "";

    /// <summary>The policy profile (防控方案) in force for the viewer's jurisdiction: the store's choice or the jurisdiction's own.</summary>
    public Fangkong.Policies.PolicyProfile Policy { get; private set; } = null!;

    private IReadOnlyDictionary<string, string> _names = new Dictionary<string, string>();

    public string NameOf(string code) => _names.GetValueOrDefault(code, code);

    public string ChartJson { get; private set; } = "{}";

    /// <summary>The wall-screen layout (<c>?wall=1</c>).</summary>
    public bool Wall { get; private set; }

    public IReadOnlyList<Fangkong.Storage.Control.JurisdictionScore> Scorecard { get; private set; } = [];

    public Fangkong.Storage.Control.TimelinessTargets Targets { get; private set; } = new(0, 0);

    /// <summary>The days of the curve shown in its text alternative (all of them; the chart itself is drawn by script).</summary>
    public IReadOnlyList<CurvePoint> Curve => Figures.Curve;

    /// <summary>A share as a whole percentage, or a dash when nothing is measurable.</summary>
    public static string Percent(double? share) => share is { } v ? (v * 100).ToString("0", CultureInfo.InvariantCulture) + "%" : "—";

    public static string Number(double? value) => value is { } v ? v.ToString("0.#", CultureInfo.InvariantCulture) : "—";

    public string Format(long t) => db.Calendar.ToLocal(t).ToString("MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>The figures alone, for the dashboard's periodic refresh.</summary>
    public async Task<IActionResult> OnGetFiguresAsync()
    {
        if (!viewer.Can(Permission.ViewDashboard))
        {
            return Denied();
        }
        Figures = await figures.GetAsync("dashboard", viewer.Prefix, () => Dashboard.LoadAsync(db, viewer.Prefix, CancellationToken.None));
        return Partial("_Figures", this);
    }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!viewer.Can(Permission.ViewDashboard))
        {
            return viewer.Can(Permission.ViewOwnRecord) ? Redirect("/me") : Denied();
        }
        Wall = Request.Query["wall"] == "1";
        Figures = await figures.GetAsync("dashboard", viewer.Prefix, () => Dashboard.LoadAsync(db, viewer.Prefix, CancellationToken.None));
        var groups = Wall ? 5 : 10;
        Overdue = await figures.GetAsync("overdue-groups", $"{viewer.Jurisdiction.Value}|{groups}",
            () => TaskRepository.GroupsAsync(db, new TaskQuery(Within: viewer.Jurisdiction, OverdueOnly: true, WithResidents: true), groups, CancellationToken.None));
        Today = db.Calendar.LocalDate(db.Now).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Policy = await policies.ForAsync(viewer.Jurisdiction.Level == Fangkong.Jurisdictions.JurisdictionLevel.Province ? null : viewer.Jurisdiction.Value, ct);
        Targets = new Fangkong.Storage.Control.TimelinessTargets(Policy.Control.NotifyWithinHours, Policy.Control.CloseContactsUnderControlWithinHours);
        var targets = Targets;
        var card = await figures.GetAsync("scorecard", viewer.Prefix + "|" + targets, () => Fangkong.Storage.Control.Scorecard.JurisdictionsAsync(db, viewer.Prefix, targets, CancellationToken.None));
        Scorecard = Wall ? [.. card.Take(8)] : card;
        var names = _names = await directory.NamesAsync(ct);
        JurisdictionName = names.GetValueOrDefault(viewer.Jurisdiction.Value, "");
        // Embedded as JSON for the chart script; '<' is escaped by the serializer, so it cannot close the script element.
        ChartJson = JsonSerializer.Serialize(new
        {
            labels = new { onset = text["dashboard.byOnset"], report = text["dashboard.byReport"], cases = text["dashboard.cases"], none = text["common.none"] },
            curve = Figures.Curve.Select(p => new { date = p.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), onset = p.ByOnset, report = p.ByReport }),
            counties = Figures.CasesByCounty.Select(kv => new { code = kv.Key, cases = kv.Value }),
            casesLink = "/cases?within=",
        });
        return Page();
    }
}
