using Fangkong.People;

namespace Fangkong.Storage.People;

/// <summary>A person row: the internal id, the record, and the person it was merged into, if any.</summary>
public sealed record StoredPerson(int Id, Person Person, int? MergedInto);

/// <summary>One entry of a person's append-only change history.</summary>
public sealed record PersonHistoryEntry(int PersonId, long At, string Action, string Detail);
