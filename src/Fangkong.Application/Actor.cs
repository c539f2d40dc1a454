using Fangkong.Application.Access;
using Fangkong.Control;
using Fangkong.Jurisdictions;

namespace Fangkong.Application;

/// <summary>The way an action reached the application: a page, the JSON API, the command line or the system's own rules.</summary>
public enum Channel
{
    Web,
    Api,
    Cli,
    System,
}

/// <summary>
/// Who acts in a use case: a name recorded with every step and audit entry, the jurisdiction they act
/// in (属地: only records inside it), what they may do, the channel and where from (a client address,
/// or <c>cli</c>/<c>system</c>). Every handler takes one; none reads the HTTP context or the console.
/// </summary>
public sealed record Actor(string Name, JurisdictionCode Jurisdiction, IReadOnlySet<Permission> Permissions, Channel Channel, string Source)
{
    private static readonly IReadOnlySet<Permission> Everything = Enum.GetValues<Permission>().ToHashSet();

    /// <summary>For a member of the public (群众): their own person record, the only one they act on.</summary>
    public int? PersonId { get; init; }

    /// <summary>The code prefix of the actor's jurisdiction ("64" for the region).</summary>
    public string Prefix => Scope.Prefix(Jurisdiction);

    /// <summary>The actor's jurisdiction as stored in the audit log; empty for the region's operator and the system.</summary>
    public string AuditScope { get; init; } = Jurisdiction.Value;

    /// <summary>The jurisdiction to filter list queries by; null for the region (nothing filtered, also people of unknown residence).</summary>
    public JurisdictionCode? Within => Jurisdiction.Level == JurisdictionLevel.Province ? null : Jurisdiction;

    public bool Can(Permission p) => Permissions.Contains(p);

    public bool Sees(string? community) => Scope.Contains(Jurisdiction, community);

    /// <summary>Refuses (code <c>access.permission</c>) unless the actor may do <paramref name="p"/>.</summary>
    public void Require(Permission p)
    {
        if (!Can(p))
        {
            throw new RefusedException($"{Name} may not {p}", "access.permission", p.ToString());
        }
    }

    /// <summary>Refuses (code <c>access.outside</c>) a record of <paramref name="community"/> outside the actor's jurisdiction.</summary>
    public void RequireSees(string? community, string target)
    {
        if (!Sees(community))
        {
            throw new OutsideJurisdictionException(target);
        }
    }

    /// <summary>The operator at the store's machine (the command line): the whole region, every permission.</summary>
    public static Actor Operator(string name) =>
        new(name, JurisdictionCode.Parse(NingxiaReference.RegionCode), Everything, Channel.Cli, "cli") { AuditScope = "" };

    /// <summary>The system's own rules (the clock, tracing, the simulation) acting under a name.</summary>
    public static Actor System(string name = "system") =>
        new(name, JurisdictionCode.Parse(NingxiaReference.RegionCode), Everything, Channel.System, "system") { AuditScope = "" };
}

/// <summary>The record lies outside the actor's jurisdiction: screens answer 404, as if it did not exist. Nothing was changed.</summary>
public sealed class OutsideJurisdictionException(string target)
    : RefusedException($"{target} is outside your jurisdiction", "access.outside")
{
    public string Target { get; } = target;
}
