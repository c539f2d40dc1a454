namespace Fangkong.Storage.Audit;

/// <summary>
/// One entry of the audit log: who (an account or 'cli:…'), when (Unix seconds, real time), what
/// (action such as <c>person.view</c>, <c>signin.failed</c>, <c>export</c>), on what (target such as
/// <c>person:123</c>), details, from where (an IP address or 'cli'), and the actor's jurisdiction
/// (scope; empty for anonymous and operator entries), which decides which auditors see the entry, and
/// the channel the action came through (<c>web</c>, <c>api</c>, <c>cli</c>, <c>system</c>; empty in
/// entries written before channels were recorded).
/// </summary>
public sealed record AuditEntry(long At, string Actor, string Action, string Target, string Detail, string Source, string Scope = "", string Channel = "");

/// <summary>An entry as stored: its place in the chain, the previous entry's hash and its own.</summary>
public sealed record AuditRecord(long Seq, long At, string Actor, string Action, string Target, string Detail, string Source, string Scope, string PrevHash, string Hash, string Channel);
