using System.Security.Claims;
using System.Text.Encodings.Web;
using Fangkong.Storage.Accounts;
using Fangkong.Text;
using Fangkong.Web.Api;
using Fangkong.Web.Audit;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Fangkong.Web.Access;

/// <summary>
/// <c>Authorization: Bearer fk_…</c> for the JSON API: a token acts as its account (role and
/// jurisdiction included) within its scope, and within its area when it has one. An unknown, revoked or expired token fails, and the
/// failed use is audited (<c>token.refused</c>, with the first characters of the token's hash only).
/// </summary>
public sealed class TokenAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, TokenCache tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Token";

    /// <summary>The claim with the token's scope (read or write).</summary>
    public const string ScopeClaim = "fk:token-scope";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return AuthenticateResult.NoResult();
        }
        var token = header["Bearer ".Length..].Trim();
        if (await tokens.HolderAsync(token, Context.RequestAborted) is not { } holder)
        {
            var why = await tokens.WhyNotAsync(token, Context.RequestAborted);
            await Context.RequestServices.GetRequiredService<AuditTrail>().RecordAsync("token.refused", "token:" + ApiTokenRepository.HashOf(token)[..12], why, actor: "anonymous");
            return AuthenticateResult.Fail("unknown, revoked or expired API token");
        }
        var viewer = Viewer.Of(holder.Account);
        if (holder.Grant.Area is { } area)
        {
            // A token limited to an area acts as its account inside that area only (checked at issue; the account's jurisdiction can only change with its tokens revoked).
            if (!Fangkong.Jurisdictions.Scope.Contains(viewer.Jurisdiction, area))
            {
                return AuthenticateResult.Fail("the API token's area lies outside its account's jurisdiction");
            }
            viewer = viewer with { Jurisdiction = Fangkong.Jurisdictions.JurisdictionCode.Parse(area) };
        }
        var claims = viewer.ToClaims().Append(new Claim(ScopeClaim, holder.Grant.Scope.ToCode()));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
    }
}

/// <summary>A read-only token reads: any other method is refused with 403 and audited.</summary>
public static class TokenScopes
{
    public static IApplicationBuilder UseTokenScopes(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.User.FindFirst(TokenAuthentication.ScopeClaim)?.Value == TokenScope.Read.ToCode()
            && !(HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) || HttpMethods.IsOptions(context.Request.Method)))
        {
            await context.RequestServices.GetRequiredService<AuditTrail>().RecordAsync("access.denied", "api:" + context.Request.Path, AuditDetail.Write("readOnlyToken"));
            await Problems.Forbidden("this API token may only read (scope read)").ExecuteAsync(context);
            return;
        }
        await next(context);
    });
}
