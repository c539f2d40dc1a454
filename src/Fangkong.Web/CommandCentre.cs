using System.Text.Encodings.Web;
using System.Text.Unicode;
using Fangkong.Application;
using Fangkong.Policies;
using Fangkong.Storage.Accounts;
using Fangkong.Storage.Audit;
using Fangkong.Storage;
using Fangkong.Web.Access;
using Fangkong.Web.Accounts;
using Fangkong.Web.Api;
using Fangkong.Web.Audit;
using Fangkong.Web.Diagnostics;
using Fangkong.Web.Lists;
using Fangkong.Web.Security;
using Fangkong.Web.Text;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Fangkong.Web.Static;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Scalar.AspNetCore;

namespace Fangkong.Web;

/// <summary>
/// How the command centre is served: where, under which policy profile (for new orders and traces),
/// on which real clock (sign-in, lock-out, audit), and how many sign-in attempts a client address may make a minute.
/// </summary>
/// <param name="Sessions">The idle and absolute limits of a signed-in session; null: one hour idle, twelve hours in all.</param>
/// <param name="RetentionEvery">How often the server runs the profile's retention rules; null: once a day; zero: never (the operator runs 'fangkong retention run').</param>
public sealed record CommandCentreOptions(string Urls, PolicyProfile Policy, TimeProvider? RealClock = null, int SignInAttemptsPerMinute = RateLimits.SignInPerMinute, SessionLimits? Sessions = null,
    TimeSpan? RetentionEvery = null);

/// <summary>
/// The command centre in the browser and its JSON API, composed in one place: services, sign-in,
/// security headers, pages, API groups. The store's clock is the epidemic's (possibly simulated)
/// time; sign-in, lock-out and the audit log run on real time.
/// </summary>
public static class CommandCentre
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public static WebApplication Build(Database db, CommandCentreOptions options)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ApplicationName = typeof(CommandCentre).Assembly.GetName().Name, EnvironmentName = Environments.Production });
        builder.WebHost.UseUrls(options.Urls);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
        // The key ring lives beside a store file (or in the user profile for PostgreSQL); it only protects session and anti-forgery cookies.
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
        var services = builder.Services;
        services.AddFangkong(db, PolicyCatalog.Load(), options.RealClock);
        var protection = services.AddDataProtection().SetApplicationName("fangkong");
        if (db.Location.FilePath is { } file)
        {
            protection.PersistKeysToFileSystem(new DirectoryInfo(file + ".keys"));
        }
        services.AddSingleton(options);
        services.AddSingleton(options.Policy);
        services.AddSingleton(Texts.Load());
        services.AddSingleton<JurisdictionDirectory>();
        services.AddMemoryCache();
        services.AddSingleton<TokenCache>();
        services.AddSingleton<FigureCache>();
        services.AddSingleton<AuditChainWatch>();
        services.AddHostedService<Privacy.RetentionSchedule>();
        // One tracing index in memory for the server's life, and re-traces behind the answer.
        services.AddSingleton<Storage.Tracing.LiveStays>();
        services.AddSingleton<Application.Tracing.TraceBehind>();
        services.AddScoped<Tracing.CaseContacts>();
        services.AddHostedService<Tracing.TraceWorker>();
        services.AddHttpContextAccessor();
        // Chinese text goes out as characters, not numeric entities; markup characters are still encoded.
        services.AddWebEncoders(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        var sessions = options.Sessions ?? SessionLimits.Default;
        services.AddSingleton(sessions);
        services.AddScoped<UiText>();
        services.AddScoped<AuditTrail>();
        services.AddScoped<PersonRecords>();
        services.AddScoped<SignInService>();
        services.AddScoped(sp => Viewer.FromPrincipal(sp.GetRequiredService<IHttpContextAccessor>().HttpContext!.User)!);
        services.AddScoped(sp => AuditTrail.ActorOf(sp.GetRequiredService<Viewer>(), sp.GetRequiredService<IHttpContextAccessor>().HttpContext!));
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.LoginPath = "/signin";
                o.AccessDeniedPath = "/forbidden";
                o.Cookie.Name = "fk_session";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                // The cookie lasts the session's lifetime at most; the server ends it sooner (idle, sign-out, reset, deactivation).
                o.ExpireTimeSpan = sessions.Lifetime;
                o.SlidingExpiration = false;
                o.Events.OnValidatePrincipal = Sessions.ValidateAsync;
                o.ForwardDefaultSelector = c => c.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.Ordinal) ? TokenAuthentication.SchemeName : null;
                o.Events.OnRedirectToLogin = c => ApiOr(c, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = c => ApiOr(c, StatusCodes.Status403Forbidden);
            })
            .AddScheme<AuthenticationSchemeOptions, TokenAuthentication>(TokenAuthentication.SchemeName, null);
        services.AddAuthorization();
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "fk_csrf";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.HeaderName = "X-CSRF-Token";
        });
        services.AddRazorPages(o => o.Conventions.AuthorizeFolder("/").AllowAnonymousToPage("/SignIn").AllowAnonymousToPage("/Error"))
            .AddApplicationPart(typeof(CommandCentre).Assembly)
            .AddMvcOptions(o => o.Filters.Add(new Pages.UnmatchedHandlerFilter()));
        services.AddApiErrors();
        services.AddOpenApi("v1");
        services.AddRateLimits(options.SignInAttemptsPerMinute);
        services.AddResponseCompression(o => o.EnableForHttps = true);
        services.AddSingleton(AssetCatalog.Embedded());

        var app = builder.Build();
        app.UseErrorAnswers();
        app.UseResponseCompression();
        app.UseSecurityHeaders();
        app.UseOversizeRefusal();
        // Static files: fingerprinted, compressed once, answered before sign-in is looked at.
        var assets = app.Services.GetRequiredService<AssetCatalog>();
        _ = Task.Run(assets.Warm);
        app.Map(AssetCatalog.RequestPath, branch => branch.Run(c => AssetEndpoint.ServeAsync(c, assets)));
        app.UseRateLimiter();
        // Measured once admitted: the time to process a request, not the time it queued under overload.
        app.UseServerTiming();
        app.UseAuthentication();
        app.UseTokenScopes();
        app.UseDenialAudit();
        app.UseAuthorization();
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/scalar", o => o.WithTitle("Fangkong API"));
        app.MapRazorPages();
        app.MapApi();
        return app;
    }

    /// <summary>The addresses the server listens on once started (the real port when 0 was asked for).</summary>
    public static IReadOnlyList<string> Addresses(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [.. app.Urls];

    private static Task ApiOr(RedirectContext<CookieAuthenticationOptions> c, int status)
    {
        if (c.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            c.Response.StatusCode = status;
            return Task.CompletedTask;
        }
        c.Response.Redirect(c.RedirectUri);
        return Task.CompletedTask;
    }

    /// <summary>Serves until <paramref name="ct"/> is cancelled (Ctrl-C), after printing the address.</summary>
    public static async Task RunAsync(Database db, CommandCentreOptions options, CancellationToken ct)
    {
        await using var app = Build(db, options);
        await app.StartAsync(ct);
        // Fresh planner statistics for the lists, gathered while already serving.
        _ = Task.Run(() => db.AnalyzeAsync(ct), ct);
        Console.WriteLine($"Fangkong command centre: {string.Join(", ", Addresses(app))}/  (Ctrl-C stops it)");
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        catch (OperationCanceledException)
        {
        }
        await app.StopAsync(CancellationToken.None);
        await app.Services.GetRequiredService<AuditLog>().DisposeAsync();
    }
}
