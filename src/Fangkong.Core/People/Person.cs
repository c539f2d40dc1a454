namespace Fangkong.People;

/// <summary>
/// A person as registered in the store. <see cref="PersonKey"/> is the data source's own key
/// (SPEC 4.1 <c>person_id</c>); the same document number is always the same person.
/// </summary>
public sealed record Person(
    string PersonKey,
    IdType? IdType,
    string? IdNumber,
    string? Name,
    Sex? Sex,
    DateOnly? BirthDate,
    string? Phone,
    string? CommunityCode,
    string? Address);
