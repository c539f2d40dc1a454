namespace Fangkong.Web.Access;

/// <summary>
/// How personal data outside the viewer's jurisdiction is shown: a name keeps its surname
/// (王小明 → 王**), a document number its first 6 and last 4 characters, a phone its first 3 and
/// last 4 digits; an address is withheld.
/// </summary>
public static class Masking
{
    public static string Name(string? name) =>
        string.IsNullOrEmpty(name) ? "" : name[..1] + new string('*', Math.Max(2, name.Length - 1));

    public static string Document(string? number) =>
        string.IsNullOrEmpty(number) ? ""
        : number.Length <= 10 ? new string('*', number.Length)
        : number[..6] + new string('*', number.Length - 10) + number[^4..];

    public static string Phone(string? phone) =>
        string.IsNullOrEmpty(phone) ? ""
        : phone.Length <= 7 ? new string('*', phone.Length)
        : phone[..3] + new string('*', phone.Length - 7) + phone[^4..];
}
