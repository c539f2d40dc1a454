using Fangkong.Application.Audit;
using Fangkong.Storage;
using Fangkong.Storage.Accounts;

namespace Fangkong.Application.Accounts;

/// <summary>A signed-in user keeps their interface language with their own account (only their own); audited as <c>account.language</c>.</summary>
public sealed class SetLanguage(Database db, AuditSink audit)
{
    public Task HandleAsync(Actor actor, long accountId, string language, CancellationToken ct = default) =>
        audit.AuditedAsync(actor, "account.language", $"account:{actor.Name}", async () =>
        {
            await AccountRepository.SetLanguageAsync(db, accountId, Text.Texts.Normalize(language), ct);
            return (true, Text.Texts.Normalize(language));
        });
}
