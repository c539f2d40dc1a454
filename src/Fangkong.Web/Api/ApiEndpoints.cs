using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Fangkong.Web.Api;

/// <summary>
/// The JSON API under <c>/api/v1</c>, one file per area. Every call needs a signed-in session or an
/// API token (401 otherwise), answers only inside the caller's jurisdiction (404 outside, audited), and
/// reports errors as problem+json.
/// </summary>
public static class ApiEndpoints
{
    public static IEndpointRouteBuilder MapApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").RequireAuthorization().AddEndpointFilter<ApiGuard>();
        api.MapAccountApi();
        api.MapDashboardApi();
        api.MapCaseApi();
        api.MapContactApi();
        api.MapReportApi();
        api.MapTaskApi();
        api.MapPeopleApi();
        return app;
    }
}
