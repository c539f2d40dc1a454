using System.Net;
using Fangkong.Web.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Fangkong.Web.Security;

/// <summary>
/// A request whose declared body is larger than the server reads is answered 413 at once, before any
/// of it is read: the API with problem+json, a page with the error page's "too large" message in the
/// user's language (never a page that cannot read its form and says something else).
/// </summary>
public static class OversizeRequests
{
    /// <summary>What the import page reads (its files up to 100 MB, and the form around them).</summary>
    public const long ImportLimit = Pages.Import.IndexModel.MaxBytes + 64 * 1024;

    /// <summary>What every other request may carry (Kestrel's own default).</summary>
    public const long DefaultLimit = 30_000_000;

    public static IApplicationBuilder UseOversizeRefusal(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var limit = context.Request.Path.StartsWithSegments("/import", StringComparison.OrdinalIgnoreCase) ? ImportLimit : DefaultLimit;
        if (context.Request.ContentLength is { } length && length > limit)
        {
            if (ApiErrors.IsApi(context))
            {
                await ApiErrors.WriteAsync(context, StatusCodes.Status413PayloadTooLarge);
                return;
            }
            // Answered at once with the error page's own words, in the user's language: nothing of the body is read.
            var texts = context.RequestServices.GetRequiredService<Texts>();
            var language = ApiErrors.LanguageOf(context);
            var title = WebUtility.HtmlEncode(texts.Get(language, "error.413.title"));
            var text = WebUtility.HtmlEncode(texts.Get(language, "error.413.text"));
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            context.Response.ContentType = "text/html; charset=utf-8";
            context.Response.Headers.Connection = "close";
            await context.Response.WriteAsync(
                $"<!doctype html><html lang=\"{language}\"><head><meta charset=\"utf-8\"><title>{title}</title><link rel=\"stylesheet\" href=\"/assets/css/site.css\"></head>" +
                $"<body><main><h1 data-testid=\"error-title\">{title}</h1><p>{text}</p><p><a href=\"/import\">{WebUtility.HtmlEncode(texts.Get(language, "nav.import"))}</a></p></main></body></html>");
            return;
        }
        await next(context);
    });
}
