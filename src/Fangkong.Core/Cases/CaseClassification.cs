namespace Fangkong.Cases;

/// <summary>Case classification (SPEC C2). <see cref="NotACase"/> is a reclassification outcome.</summary>
public enum CaseClassification
{
    Confirmed,
    Asymptomatic,
    Suspected,
    NotACase,
}

public static class CaseClassifications
{
    /// <summary>The classifications that count as a case (an infection): isolated and treated as a case, traced, never a contact. A suspected case is not one yet.</summary>
    public static readonly IReadOnlyList<CaseClassification> Infections = [CaseClassification.Confirmed, CaseClassification.Asymptomatic];

    /// <summary><see cref="Infections"/> as a SQL list of codes.</summary>
    public static string InfectionsSql => string.Join(", ", Infections.Select(c => $"'{c.ToCode()}'"));

    /// <summary>True for a confirmed case or an asymptomatic infection (see <see cref="Infections"/>).</summary>
    public static bool CountsAsCase(this CaseClassification c) => Infections.Contains(c);

    public static string ToCode(this CaseClassification c) => c switch
    {
        CaseClassification.Confirmed => "confirmed",
        CaseClassification.Asymptomatic => "asymptomatic",
        CaseClassification.Suspected => "suspected",
        _ => "not_a_case",
    };

    /// <summary>Parses the classifications a cases file may carry (not <c>not_a_case</c>).</summary>
    public static bool TryParseImported(string text, out CaseClassification c)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "confirmed": c = CaseClassification.Confirmed; return true;
            case "asymptomatic": c = CaseClassification.Asymptomatic; return true;
            case "suspected": c = CaseClassification.Suspected; return true;
            default: c = default; return false;
        }
    }

    public static CaseClassification ParseStored(string code) => code switch
    {
        "confirmed" => CaseClassification.Confirmed,
        "asymptomatic" => CaseClassification.Asymptomatic,
        "suspected" => CaseClassification.Suspected,
        _ => CaseClassification.NotACase,
    };

    /// <summary>Parses a stored code (not_a_case included); unknown text is refused.</summary>
    public static bool TryParseStored(string? code, out CaseClassification c) => Codes.TryParse(code, ToCode, out c);
}
