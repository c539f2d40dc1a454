using Fangkong.Web.Access;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Fangkong.Web.Api;

/// <summary>
/// Checks common to every API call: a known viewer, and for a change made with the browser's session
/// cookie (not a token) the anti-forgery header, so that another site cannot make the browser act.
/// </summary>
public sealed class ApiGuard : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (Viewer.FromPrincipal(http.User) is null)
        {
            return Problems.Unauthorized();
        }
        var byCookie = http.User.Identity?.AuthenticationType != TokenAuthentication.SchemeName;
        if (byCookie && !HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method))
        {
            var antiforgery = http.RequestServices.GetRequiredService<IAntiforgery>();
            if (!await antiforgery.IsRequestValidAsync(http))
            {
                return Problems.Forbidden("a change made with a session cookie needs the X-CSRF-Token header");
            }
        }
        return await next(context);
    }
}
