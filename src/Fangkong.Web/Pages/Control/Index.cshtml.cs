using Fangkong.Control;
using Fangkong.Storage;
using Fangkong.Storage.Control;
using Fangkong.Web.Access;
using Fangkong.Web.Lists;
using Microsoft.AspNetCore.Mvc;

namespace Fangkong.Web.Pages.Control;

/// <summary>The closed loop at a glance (闭环管控): how many active orders stand at each step, per group, in the viewer's jurisdiction.</summary>
public sealed class IndexModel(Database db, Viewer viewer, FigureCache figures) : FangkongPage
{
    public static readonly IReadOnlyList<ControlStatus> Steps =
        [ControlStatus.Identified, ControlStatus.Notified, ControlStatus.TransferDispatched, ControlStatus.Arrived, ControlStatus.UnderControl, ControlStatus.Lost];

    public IReadOnlyDictionary<(string Group, string Status), int> Counts { get; private set; } = new Dictionary<(string, string), int>();

    public IEnumerable<string> Groups => Counts.Keys.Select(k => k.Group).Distinct().Order(StringComparer.Ordinal);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!viewer.Can(Permission.ViewContacts))
        {
            return Denied();
        }
        Counts = await figures.GetAsync("funnel", viewer.Prefix, () => ControlFunnel.LoadAsync(db, viewer.Prefix, CancellationToken.None));
        return Page();
    }
}
