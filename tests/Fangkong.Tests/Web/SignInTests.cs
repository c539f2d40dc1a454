using System.Net;
using Fangkong.Policies;
using Fangkong.Staff;
using Fangkong.Storage.Accounts;
using Fangkong.Storage.Audit;
using Fangkong.Web;
using Fangkong.Application.Accounts;
using Fangkong.Web.Accounts;
using Fangkong.Jurisdictions;

namespace Fangkong.Tests.Web;

/// <summary>Sign-in: lock-out after repeated failures, no user enumeration, rate limits, anti-forgery, security headers, and an audit entry for every attempt.</summary>
[Collection(nameof(SqliteCentreCollection))]
public sealed class SignInTests(SqliteCentre centre)
{
    private async Task<string> NewAccountAsync()
    {
        var user = "u" + Guid.NewGuid().ToString("N")[..10];
        await AccountRepository.AddAsync(centre.Db, user, "测试", StaffRole.Investigator, JurisdictionCode.Parse(centre.HomeCounty), null, Passwords.Hash(CommandCentreFixture.Password), centre.Db.Now);
        return user;
    }

    [Fact]
    public async Task FiveWrongPasswords_LockTheAccount_EvenAgainstTheRightOne()
    {
        var user = await NewAccountAsync();
        using var client = centre.Client();
        for (var i = 0; i < SignInService.FailuresBeforeLockout; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.SignInAsync(user, "wrong-password-" + i)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SignInAsync(user, CommandCentreFixture.Password)).StatusCode);
        // Locked for the address the failures came from (the test client's), not for everyone.
        var account = await AccountRepository.FindAsync(centre.Db, user);
        Assert.True(await AccountRepository.LockedUntilAsync(centre.Db, account!.Id, "127.0.0.1") > TimeProvider.System.GetUtcNow().ToUnixTimeSeconds() + 14 * 60);

        var (rows, _) = await AuditSearch.FindAsync(centre.Db, new AuditFilter(Target: $"account:{user}"), 0, 50);
        Assert.Equal(SignInService.FailuresBeforeLockout, rows.Count(r => r.Action == "signin.failed"));
        Assert.Single(rows, r => r.Action == "signin.locked");
        Assert.DoesNotContain(rows, r => r.Action == "signin");
    }

    [Fact]
    public async Task WrongPasswordsFromOneAddress_DoNotLockTheOwnerOut_FromTheirs()
    {
        var user = await NewAccountAsync();
        await using var log = new Fangkong.Storage.Audit.AuditLog(centre.Db);
        var service = new SignInService(centre.Db, new Fangkong.Web.Audit.AuditTrail(log, new Microsoft.AspNetCore.Http.HttpContextAccessor(), TimeProvider.System), TimeProvider.System);
        for (var i = 0; i < SignInService.FailuresBeforeLockout; i++)
        {
            Assert.Null(await service.TryAsync(user, "wrong-password-" + i, "203.0.113.9", CancellationToken.None));
        }
        Assert.Null(await service.TryAsync(user, CommandCentreFixture.Password, "203.0.113.9", CancellationToken.None));   // the attacker's address is locked
        Assert.NotNull(await service.TryAsync(user, CommandCentreFixture.Password, "198.51.100.7", CancellationToken.None));   // the owner's is not
        Assert.Null(await service.TryAsync(user, CommandCentreFixture.Password, "203.0.113.9", CancellationToken.None));   // still locked there
    }

    [Fact]
    public async Task AnUnknownUser_AndAWrongPassword_LookTheSame()
    {
        var user = await NewAccountAsync();
        using var client = centre.Client();
        var wrong = await client.SignInAsync(user, "not-the-password");
        var unknown = await client.SignInAsync("nobody-" + Guid.NewGuid().ToString("N")[..8], "not-the-password");
        Assert.Equal(wrong.StatusCode, unknown.StatusCode);
        string Message(string html) => System.Text.RegularExpressions.Regex.Match(html, "data-testid=\"signin-error\">([^<]*)<").Groups[1].Value;
        var a = Message(await wrong.Content.ReadAsStringAsync());
        var b = Message(await unknown.Content.ReadAsStringAsync());
        Assert.NotEmpty(a);
        Assert.Equal(a, b);
    }

    [Fact]
    public async Task SigningIn_SetsAnHttpOnlyStrictSessionCookie_AndIsAudited()
    {
        var user = await NewAccountAsync();
        using var client = centre.Client();
        var response = await client.SignInAsync(user, CommandCentreFixture.Password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("fk_session=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        var (rows, _) = await AuditSearch.FindAsync(centre.Db, new AuditFilter(Action: "signin", Target: $"account:{user}"), 0, 5);
        Assert.Single(rows, r => r.Action == "signin" && r.Actor == user && r.Source == "127.0.0.1");
    }

    [Fact]
    public async Task APostWithoutTheAntiForgeryToken_IsRefused()
    {
        using var client = centre.Client();
        var response = await client.Http.PostAsync("/signin", new FormUrlEncodedContent([new("username", "commander"), new("password", CommandCentreFixture.Password)]));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(response.Headers, h => h.Key == "Set-Cookie" && h.Value.Any(v => v.StartsWith("fk_session=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task EveryResponse_CarriesTheSecurityHeaders()
    {
        using var client = await centre.SignedInAsync("commander");
        foreach (var url in new[] { "/signin", "/", "/cases", "/api/v1/me" })
        {
            var response = await client.GetAsync(url);
            Assert.Contains("default-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe-inline", response.Headers.GetValues("Content-Security-Policy").Single().Split(';').Single(p => p.Trim().StartsWith("script-src", StringComparison.Ordinal)), StringComparison.Ordinal);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        }
    }

    [Fact]
    public async Task TooManySignInAttemptsFromOneAddress_Get429WithRetryAfter()
    {
        await using var app = CommandCentre.Build(centre.Db, new CommandCentreOptions("http://127.0.0.1:0", PolicyCatalog.Load().Get("cn-v8-2021"), SignInAttemptsPerMinute: 3, RetentionEvery: TimeSpan.Zero));
        await app.StartAsync();
        using var client = new WebClient(new Uri(CommandCentre.Addresses(app)[0]));
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await client.GetAsync("/signin")).StatusCode);
        }
        var limited = await client.GetAsync("/signin");
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("60", limited.Headers.GetValues("Retry-After").Single());
        await app.StopAsync();
    }
}
