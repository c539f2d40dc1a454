using System.Text.RegularExpressions;
using Fangkong.Web.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Fangkong.Web.Api;

/// <summary>
/// Every error under <c>/api</c> is problem+json, never the HTML error page: a bad query value or an
/// unreadable body (400, naming the <c>field</c>), no credentials (401), an unknown route (404), a
/// method not allowed (405), an unexpected failure (500, with nothing of its inside). The title is in
/// the caller's language (the <c>fk_lang</c> cookie, else <c>Accept-Language</c>, else Chinese).
/// Pages keep their own error page.
/// </summary>
public static partial class ApiErrors
{
    public static bool IsApi(HttpContext c) => c.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);

    public static IServiceCollection AddApiErrors(this IServiceCollection services)
    {
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddProblemDetails(o => o.CustomizeProblemDetails = Customize);
        return services;
    }

    /// <summary>The error page, re-executed for every error; it answers an API path with problem+json (<see cref="WriteAsync"/>).</summary>
    public static IApplicationBuilder UseErrorAnswers(this IApplicationBuilder app)
    {
        app.UseExceptionHandler("/error");
        app.UseStatusCodePagesWithReExecute("/error", "?code={0}");
        return app;
    }

    /// <summary>
    /// Writes the problem+json answer of <paramref name="status"/> (its title in the caller's language);
    /// a request the framework could not read (<paramref name="error"/>) answers 400 naming the field.
    /// </summary>
    public static async Task WriteAsync(HttpContext context, int status, Exception? error = null)
    {
        var problem = new ProblemDetails { Status = status };
        if (error is BadHttpRequestException bad)
        {
            var json = bad.InnerException is System.Text.Json.JsonException || bad.Message.Contains("JSON", StringComparison.Ordinal);
            var field = json ? "body" : FieldOf(bad.Message);
            problem.Status = bad.StatusCode;
            problem.Detail = json ? "body: the body is not valid JSON for this request"
                : field is not null ? $"{field}: the value cannot be read as the parameter's type" : "the request cannot be read";
            if (field is not null)
            {
                problem.Extensions["field"] = field;
            }
        }
        context.Response.StatusCode = problem.Status.Value;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }

    public static string LanguageOf(HttpContext c) =>
        c.Request.Cookies[UiText.Cookie] is { } chosen ? Texts.Normalize(chosen)
        : c.Request.Headers.AcceptLanguage.ToString().TrimStart().StartsWith("en", StringComparison.OrdinalIgnoreCase) ? Texts.English
        : Texts.Chinese;

    private static void Customize(ProblemDetailsContext context)
    {
        var texts = context.HttpContext.RequestServices.GetRequiredService<Texts>();
        var language = LanguageOf(context.HttpContext);
        var key = $"problem.{context.ProblemDetails.Status ?? StatusCodes.Status500InternalServerError}";
        if (texts.Has(language, key))
        {
            context.ProblemDetails.Title = texts.Get(language, key);
        }
        if (context.ProblemDetails.Status == StatusCodes.Status500InternalServerError)
        {
            context.ProblemDetails.Detail = null;   // nothing of the server's inside
        }
    }

    /// <summary>The parameter a binding failure names ("Failed to bind parameter \"int? page\" from \"abc\"").</summary>
    public static string? FieldOf(string message) => BoundParameter().Match(message) is { Success: true } m ? m.Groups[1].Value : null;

    [GeneratedRegex("parameter \"(?:[^\"]* )?([A-Za-z_][A-Za-z0-9_]*)\"")]
    private static partial Regex BoundParameter();
}
