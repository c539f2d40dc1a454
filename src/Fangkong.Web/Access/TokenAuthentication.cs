using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Fangkong.Web.Access;

/// <summary>
/// <c>Authorization: Bearer fk_…</c> for the JSON API: a token acts as its account (role and
/// jurisdiction included). An unknown or revoked token fails.
/// </summary>
public sealed class TokenAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, TokenCache tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Token";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return AuthenticateResult.NoResult();
        }
        if (await tokens.AccountAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted) is not { } account)
        {
            return AuthenticateResult.Fail("unknown or revoked API token");
        }
        var identity = new ClaimsIdentity(Viewer.Of(account).ToClaims(), SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}
