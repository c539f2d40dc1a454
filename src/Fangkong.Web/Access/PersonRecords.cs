using Fangkong.Storage;
using Fangkong.Storage.People;
using Fangkong.Web.Audit;

namespace Fangkong.Web.Access;

/// <summary>
/// The one way a page or API call opens a person's record: it must exist and lie inside the viewer's
/// jurisdiction (otherwise null — the caller answers 404 — and the attempt is audited); an opened
/// record is audited as viewed.
/// </summary>
public sealed class PersonRecords(Database db, Viewer viewer, AuditTrail audit)
{
    /// <param name="where">What is being opened, for the audit entry (e.g. "case page").</param>
    public async Task<StoredPerson?> OpenAsync(string key, string where, CancellationToken ct)
    {
        if (await PersonRepository.FindAsync(db, key, ct) is not { } stored)
        {
            return null;
        }
        if (!viewer.Sees(stored.Person.CommunityCode))
        {
            await audit.RecordAsync("access.denied", $"person:{key}", $"{where} outside the viewer's jurisdiction");
            return null;
        }
        await audit.RecordAsync("person.view", $"person:{key}", where);
        return stored;
    }
}
