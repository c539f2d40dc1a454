using Fangkong.Control;
using Fangkong.Storage.Audit;
using Fangkong.Text;

namespace Fangkong.Application.Audit;

/// <summary>
/// The handlers' way into the audit log (SPEC 7: every change, from every channel): who, when (real
/// time), what, on what, from where, the actor's jurisdiction and the channel. Returns when the entry
/// is durable.
/// </summary>
public sealed class AuditSink(AuditLog log, TimeProvider clock)
{
    public Task RecordAsync(Actor actor, string action, string target, string detail = "") =>
        log.AppendAsync(new AuditEntry(clock.GetUtcNow().ToUnixTimeSeconds(), actor.Name, action, target, detail, actor.Source, actor.AuditScope, actor.Channel.ToCode()));

    /// <summary>
    /// Runs a change and records it: <paramref name="action"/> with the change's detail once it is
    /// committed, or <c>{action}.refused</c> with the reason when it is refused (nothing changed).
    /// A record outside the actor's jurisdiction is recorded as <c>access.denied</c>.
    /// </summary>
    public async Task<T> AuditedAsync<T>(Actor actor, string action, string target, Func<Task<(T Result, string Detail)>> change)
    {
        try
        {
            var (result, detail) = await change();
            await RecordAsync(actor, action, target, detail);
            return result;
        }
        catch (OutsideJurisdictionException e)
        {
            await RecordAsync(actor, "access.denied", e.Target, action);
            throw;
        }
        catch (RefusedException e)
        {
            await RecordAsync(actor, action + ".refused", target, AuditDetail.Refusal(e));
            throw;
        }
    }
}

public static class ChannelCodes
{
    public static string ToCode(this Channel c) => c switch
    {
        Channel.Web => "web",
        Channel.Api => "api",
        Channel.Cli => "cli",
        _ => "system",
    };
}
