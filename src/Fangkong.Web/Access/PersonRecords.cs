using Fangkong.Storage;
using Fangkong.Storage.People;
using Fangkong.Text;
using Fangkong.Web.Audit;

namespace Fangkong.Web.Access;

/// <summary>
/// The one way a page or API call opens a person's record: it must exist and lie inside the viewer's
/// jurisdiction (otherwise null — the caller answers 404 — and the attempt is audited); an opened
/// record is audited as viewed. A key that names nobody is audited too: guessing keys shows in the log,
/// and a missing record costs the same work as an outside one, so that the time of the answer does not
/// tell which it was.
/// </summary>
public sealed class PersonRecords(Database db, Viewer viewer, AuditTrail audit)
{
    /// <param name="where">What is being opened, for the audit entry: a text of <c>audit.where.*</c> (e.g. <c>casePage</c>).</param>
    public async Task<StoredPerson?> OpenAsync(string key, string where, CancellationToken ct)
    {
        if (await PersonRepository.FindAsync(db, key, ct) is not { } stored)
        {
            await audit.RecordAsync("access.denied", $"person:{Clip(key)}", AuditDetail.Write("noSuchPerson", Phrase.Text("audit.where." + where)));
            return null;
        }
        if (!viewer.Sees(stored.Person.CommunityCode))
        {
            await audit.RecordAsync("access.denied", $"person:{key}", AuditDetail.Write("outside", Phrase.Text("audit.where." + where)));
            return null;
        }
        await audit.RecordAsync("person.view", $"person:{key}", AuditDetail.Write("where", Phrase.Text("audit.where." + where)));
        return stored;
    }

    /// <summary>A key as typed (a guessed key can be anything): at most 64 characters, anything but letters, digits and <c>-_.</c> as <c>_</c>.</summary>
    private static string Clip(string key) =>
        string.Create(Math.Min(key.Length, 64), key, static (span, k) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = char.IsLetterOrDigit(k[i]) || k[i] is '-' or '_' or '.' ? k[i] : '_';
            }
        });
}
