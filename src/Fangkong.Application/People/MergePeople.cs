using Fangkong.Application.Access;
using Fangkong.Application.Audit;
using Fangkong.Application.Control;
using Fangkong.Control;
using Fangkong.People;
using Fangkong.Storage.People;
using Fangkong.Storage;
using Fangkong.Text;

namespace Fangkong.Application.People;

/// <summary>
/// One person under two records: the second is merged into the first, both histories kept. Refused when
/// the records carry different numbers of the same document type (they are two people).
/// </summary>
public sealed class MergePeople(Database db, PeopleInScope people, AuditSink audit)
{
    public Task HandleAsync(Actor actor, string keepKey, string otherKey, CancellationToken ct = default)
    {
        actor.Require(Permission.EditCases);
        return audit.AuditedAsync(actor, "person.merge", $"person:{keepKey}", async () =>
        {
            var keep = await people.OpenAsync(actor, keepKey, ct);
            var other = await people.OpenAsync(actor, otherKey, ct);
            if (keep.Id == other.Id)
            {
                throw new RefusedException($"'{keepKey}' and '{otherKey}' are already the same person", "merge.same", keepKey, otherKey);
            }
            var (a, b) = (keep.Stored.Person, other.Stored.Person);
            if (a.IdNumber is { } x && b.IdNumber is { } y && a.IdType == b.IdType && !string.Equals(x, y, StringComparison.Ordinal))
            {
                throw new RefusedException($"the two records have different {a.IdType?.ToCode()} numbers; they are not the same person", "merge.differentDocuments");
            }
            await PersonRepository.MergeAsync(db, keep.Stored, other.Stored, ct);
            return (0, AuditDetail.Write("merge", otherKey, keepKey));
        });
    }
}
