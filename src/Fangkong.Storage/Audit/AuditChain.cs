using System.Security.Cryptography;
using System.Text;

namespace Fangkong.Storage.Audit;

/// <summary>
/// The hash chain of the audit log. Each entry's hash is SHA-256 over the previous entry's hash and
/// every field of the entry, so changing, removing or reordering any stored entry breaks every hash
/// after it. The first entry's previous hash is <see cref="Genesis"/>.
/// </summary>
public static class AuditChain
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    public static string HashOf(string prevHash, long seq, AuditEntry e)
    {
        // Fields are length-prefixed so that no two different entries serialize to the same text.
        var text = new StringBuilder()
            .Append(prevHash).Append('|').Append(seq).Append('|').Append(e.At);
        foreach (var field in (ReadOnlySpan<string>)[e.Actor, e.Action, e.Target, e.Detail, e.Source, e.Scope])
        {
            text.Append('|').Append(field.Length).Append(':').Append(field);
        }
        // Entries from before the channel was recorded have none and keep their hashes.
        if (e.Channel.Length > 0)
        {
            text.Append("|c").Append(e.Channel.Length).Append(':').Append(e.Channel);
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    public static string HashOf(AuditRecord r) =>
        HashOf(r.PrevHash, r.Seq, new AuditEntry(r.At, r.Actor, r.Action, r.Target, r.Detail, r.Source, r.Scope, r.Channel));
}
