using Fangkong.People;
using Fangkong.Web.Access;

namespace Fangkong.Web.People;

/// <summary>
/// A person as a given viewer may see them: everything inside the viewer's jurisdiction; outside
/// it the name keeps its surname, the document number its ends, the phone its ends, and the address is withheld.
/// </summary>
public sealed record PersonView(string Key, string Name, string IdNumber, string Phone, string Address, string? Community, bool Masked)
{
    public static PersonView Of(Person p, Viewer viewer)
    {
        var inScope = viewer.Sees(p.CommunityCode);
        return inScope
            ? new PersonView(p.PersonKey, p.Name ?? "", p.IdNumber ?? "", p.Phone ?? "", p.Address ?? "", p.CommunityCode, false)
            : new PersonView(p.PersonKey, Masking.Name(p.Name), Masking.Document(p.IdNumber), Masking.Phone(p.Phone), "", p.CommunityCode, true);
    }
}
