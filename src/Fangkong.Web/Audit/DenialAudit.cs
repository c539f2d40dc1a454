using System.Text;
using Fangkong.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Fangkong.Web.Audit;

/// <summary>
/// Every 403 a signed-in user or a token meets (a page or an API call their role may not use) is audited
/// as <c>access.denied</c> on the path, as the outside-jurisdiction denials are. The path is kept to
/// plain characters and a bounded length, so that an attacker cannot write markup or noise into the log.
/// </summary>
public static class DenialAudit
{
    private const int MaxPath = 200;

    public static IApplicationBuilder UseDenialAudit(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        await next(context);
        // The error page's re-execution of the same request is not a second denial.
        if (context.Response.StatusCode == StatusCodes.Status403Forbidden && context.User.Identity?.IsAuthenticated == true
            && context.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>() is null)
        {
            await context.RequestServices.GetRequiredService<AuditTrail>().RecordAsync("access.denied", Sanitize(context.Request.Path.Value ?? "/"), AuditDetail.Write("roleDenied", context.Request.Method));
        }
    });

    /// <summary>The path with every character outside letters, digits and <c>/._-</c> replaced by <c>_</c>, at most 200 characters.</summary>
    public static string Sanitize(string path)
    {
        var text = new StringBuilder(Math.Min(path.Length, MaxPath) + 5).Append("path:");
        foreach (var ch in path.AsSpan(0, Math.Min(path.Length, MaxPath)))
        {
            text.Append(char.IsAsciiLetterOrDigit(ch) || ch is '/' or '.' or '_' or '-' ? ch : '_');
        }
        return text.ToString();
    }
}
