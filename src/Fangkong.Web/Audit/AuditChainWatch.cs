using Fangkong.Storage;
using Fangkong.Storage.Audit;

namespace Fangkong.Web.Audit;

/// <summary>
/// The audit log's chain as the auditor's screen shows it: verified in full once, then only the
/// entries added since (each must follow the last verified hash), so the screen stays fast as the log
/// grows. A full re-verification is one click ('?verify=full') or <c>fangkong audit verify</c>.
/// </summary>
public sealed class AuditChainWatch(Database db) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _seq;
    private string _hash = AuditChain.Genesis;
    private long _entries;

    public async Task<AuditVerification> CheckAsync(bool full, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (full)
            {
                (_seq, _hash, _entries) = (0, AuditChain.Genesis, 0);
            }
            var v = await AuditSearch.VerifyAsync(db, _seq, _hash, ct);
            if (!v.Intact)
            {
                return v with { Entries = _entries + v.Entries };
            }
            (_seq, _hash, _entries) = (v.LastSeq, v.LastHash!, _entries + v.Entries);
            return v with { Entries = _entries };
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
