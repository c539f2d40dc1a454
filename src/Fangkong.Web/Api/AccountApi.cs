using Fangkong.Staff;
using Fangkong.Web.Access;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Fangkong.Web.Api;

/// <summary>Who the caller is: account, role, jurisdiction and what the role may do.</summary>
public sealed record MeResponse(string Username, string DisplayName, string Role, string Jurisdiction, IReadOnlyList<string> Permissions);

public static class AccountApi
{
    public static RouteGroupBuilder MapAccountApi(this RouteGroupBuilder api)
    {
        api.MapGet("/me", (Viewer viewer) => Results.Ok(new MeResponse(viewer.Username, viewer.DisplayName, viewer.Role.ToCode(), viewer.Jurisdiction.Value,
                RolePermissions.Of(viewer.Role).Select(p => p.ToString()).Order(StringComparer.Ordinal).ToList())))
            .WithName("GetMe").WithSummary("The caller's account, role, jurisdiction and permissions.").WithTags("Accounts");
        return api;
    }
}
