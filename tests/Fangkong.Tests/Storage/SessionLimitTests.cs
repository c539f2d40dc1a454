using Fangkong.Jurisdictions;
using Fangkong.Staff;
using Fangkong.Storage;
using Fangkong.Storage.Accounts;
using Fangkong.Tests.Support;

namespace Fangkong.Tests.Storage;

/// <summary>A session ends when it has been idle too long or has lived its whole lifetime, whatever its activity; on both stores.</summary>
public sealed class SessionLimitTests
{
    private static readonly SessionLimits Limits = new(TimeSpan.FromMinutes(30), TimeSpan.FromHours(2), TimeSpan.FromMinutes(5));

    [Theory]
    [MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task ASession_EndsWhenIdle_AndAtItsLifetime_EvenWhileActive(StoreProvider provider)
    {
        await using var store = await TestStore.CreateAsync(provider);
        await using var db = await store.OpenAsync();
        var account = await AccountRepository.AddAsync(db, "limits", "会话", StaffRole.Auditor, JurisdictionCode.Parse("640000"), null, "x", 0);
        const long start = 1_800_000_000;

        var idle = await SessionRepository.StartAsync(db, account, start, "test");
        Assert.Equal(account, await SessionRepository.LiveAccountAsync(db, idle, start + 29 * 60, Limits));
        Assert.Equal(account, await SessionRepository.LiveAccountAsync(db, idle, start + 58 * 60, Limits));   // 29 min after the last use
        Assert.Null(await SessionRepository.LiveAccountAsync(db, idle, start + 89 * 60, Limits));           // 31 min idle
        Assert.Null(await SessionRepository.LiveAccountAsync(db, idle, start + 90 * 60, Limits));           // ended stays ended

        var busy = await SessionRepository.StartAsync(db, account, start, "test");
        for (var t = start; t < start + 2 * 3600; t += 20 * 60)
        {
            Assert.Equal(account, await SessionRepository.LiveAccountAsync(db, busy, t, Limits));
        }
        Assert.Null(await SessionRepository.LiveAccountAsync(db, busy, start + 2 * 3600 + 60, Limits));
        Assert.Null(await SessionRepository.LiveAccountAsync(db, "not-a-session", start, Limits));
    }

    [Theory]
    [MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task APasswordEnteredAgain_HoldsForTheWindow_AndOnlyForItsOwnSession(StoreProvider provider)
    {
        await using var store = await TestStore.CreateAsync(provider);
        await using var db = await store.OpenAsync();
        var account = await AccountRepository.AddAsync(db, "confirm", "会话", StaffRole.Auditor, JurisdictionCode.Parse("640000"), null, "x", 0);
        const long start = 1_800_000_000;
        var session = await SessionRepository.StartAsync(db, account, start, "test");
        var other = await SessionRepository.StartAsync(db, account, start, "test");
        Assert.False(await SessionRepository.ConfirmedWithinAsync(db, session, start, Limits.ExportConfirmation));

        await SessionRepository.ConfirmAsync(db, session, start + 60);
        Assert.True(await SessionRepository.ConfirmedWithinAsync(db, session, start + 60 + 5 * 60, Limits.ExportConfirmation));
        Assert.False(await SessionRepository.ConfirmedWithinAsync(db, session, start + 60 + 5 * 60 + 1, Limits.ExportConfirmation));
        Assert.False(await SessionRepository.ConfirmedWithinAsync(db, other, start + 120, Limits.ExportConfirmation));

        await SessionRepository.ConfirmAsync(db, session, start + 1000);
        await SessionRepository.EndAsync(db, session, start + 1001, "signed out");
        Assert.False(await SessionRepository.ConfirmedWithinAsync(db, session, start + 1002, Limits.ExportConfirmation));
    }
}
