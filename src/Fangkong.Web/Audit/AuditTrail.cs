using Fangkong.Application.Audit;
using Fangkong.Application;
using Fangkong.Storage.Audit;
using Fangkong.Web.Access;
using Microsoft.AspNetCore.Http;

namespace Fangkong.Web.Audit;

/// <summary>
/// The request's way into the audit log: records who (the signed-in account), when (real time),
/// what, on what and from where (the client address). Returns when the entry is durable.
/// </summary>
public sealed class AuditTrail(AuditLog log, IHttpContextAccessor http, TimeProvider clock)
{
    public Task RecordAsync(string action, string target, string detail = "", string? actor = null, string? scope = null)
    {
        var context = http.HttpContext;
        var viewer = context is null ? null : Viewer.FromPrincipal(context.User);
        var who = actor ?? viewer?.Username ?? "anonymous";
        var from = context?.Connection.RemoteIpAddress?.ToString() ?? "local";
        var channel = ChannelOf(context).ToCode();
        return log.AppendAsync(new AuditEntry(clock.GetUtcNow().ToUnixTimeSeconds(), who, action, target, detail, from, scope ?? viewer?.Jurisdiction.Value ?? "", channel));
    }

    /// <summary>The JSON API under /api, else the pages.</summary>
    public static Channel ChannelOf(HttpContext? context) =>
        context?.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) == true ? Channel.Api : Channel.Web;

    /// <summary>The signed-in viewer of a request as the actor of a use case, with the request's channel and address.</summary>
    public static Actor ActorOf(Viewer viewer, HttpContext context) =>
        viewer.ToActor(ChannelOf(context), context.Connection.RemoteIpAddress?.ToString() ?? "local");
}
