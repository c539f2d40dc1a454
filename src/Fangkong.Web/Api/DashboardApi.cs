using Fangkong.Storage;
using Fangkong.Storage.Reports;
using Fangkong.Web.Access;
using Fangkong.Web.Lists;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Fangkong.Web.Api;

public static class DashboardApi
{
    public static RouteGroupBuilder MapDashboardApi(this RouteGroupBuilder api)
    {
        api.MapGet("/dashboard", async (Database db, Viewer viewer, FigureCache figures) =>
                viewer.Can(Permission.ViewDashboard)
                    ? Results.Ok(await figures.GetAsync("dashboard", viewer.Prefix, () => Dashboard.LoadAsync(db, viewer.Prefix, CancellationToken.None)))
                    : Problems.Forbidden("your role has no dashboard"))
            .WithName("GetDashboard").WithSummary("Today's figures, the epidemic curve and cases by county, for the caller's jurisdiction.").WithTags("Dashboard")
            .Produces<DashboardFigures>();
        return api;
    }
}
