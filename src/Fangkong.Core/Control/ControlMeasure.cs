namespace Fangkong.Control;

/// <summary>The measure a control order puts a person under (SPEC C4).</summary>
public enum ControlMeasure
{
    CentralizedQuarantine,
    HomeQuarantine,
    HomeHealthMonitoring,
    HealthMonitoring,
    TestsOnly,

    /// <summary>A case: isolation and treatment in a designated hospital (定点医院隔离治疗).</summary>
    CaseIsolation,
}

/// <summary>Why a person is under control: the policy plan that applies to them.</summary>
public enum ControlGroup
{
    CloseContact,
    SecondaryContact,
    ArrivalHighRisk,
    ArrivalMediumRisk,
    ArrivalLowRiskAffectedCounty,
    Case,

    /// <summary>A grid co-presence contact (时空伴随者): health monitoring with tests, below the secondary contacts.</summary>
    GridContact,

    /// <summary>
    /// A person whose nucleic acid test came back positive or inconclusive before it is resolved (核酸阳性待复核):
    /// every member of a positive pooled tube, and a single tube's positive person (then also a suspected case).
    /// They stay in place until their individual re-test; a negative one lifts the order.
    /// </summary>
    PoolPositive,
}

public static class ControlCodes
{
    public static string ToCode(this ControlMeasure m) => m switch
    {
        ControlMeasure.CentralizedQuarantine => "centralized_quarantine",
        ControlMeasure.HomeQuarantine => "home_quarantine",
        ControlMeasure.HomeHealthMonitoring => "home_health_monitoring",
        ControlMeasure.HealthMonitoring => "health_monitoring",
        ControlMeasure.TestsOnly => "tests_only",
        _ => "case_isolation",
    };

    public static string ToChinese(this ControlMeasure m) => m switch
    {
        ControlMeasure.CentralizedQuarantine => "集中隔离",
        ControlMeasure.HomeQuarantine => "居家隔离",
        ControlMeasure.HomeHealthMonitoring => "居家健康监测",
        ControlMeasure.HealthMonitoring => "健康监测",
        ControlMeasure.TestsOnly => "核酸检测",
        _ => "定点医院隔离治疗",
    };

    public static bool TryParseMeasure(string? text, out ControlMeasure measure) => Codes.TryParse(text, ToCode, out measure);

    public static ControlMeasure ParseMeasure(string text) =>
        TryParseMeasure(text, out var m) ? m : throw new FormatException($"'{text}' is not a control measure.");

    /// <summary>True for measures kept in a quarantine site, reached by a closed-loop transfer.</summary>
    public static bool IsCentralized(this ControlMeasure m) => m is ControlMeasure.CentralizedQuarantine;

    public static string ToCode(this ControlGroup g) => g switch
    {
        ControlGroup.CloseContact => "close",
        ControlGroup.SecondaryContact => "secondary",
        ControlGroup.ArrivalHighRisk => "arrival_high_risk",
        ControlGroup.ArrivalMediumRisk => "arrival_medium_risk",
        ControlGroup.ArrivalLowRiskAffectedCounty => "arrival_low_risk",
        ControlGroup.GridContact => "grid",
        ControlGroup.PoolPositive => "pool_positive",
        _ => "case",
    };

    public static string ToChinese(this ControlGroup g) => g switch
    {
        ControlGroup.CloseContact => "密切接触者",
        ControlGroup.SecondaryContact => "密接的密接",
        ControlGroup.ArrivalHighRisk => "高风险地区来返人员",
        ControlGroup.ArrivalMediumRisk => "中风险地区来返人员",
        ControlGroup.ArrivalLowRiskAffectedCounty => "低风险地区来返人员",
        ControlGroup.GridContact => "时空伴随者",
        ControlGroup.PoolPositive => "核酸阳性待复核人员",
        _ => "病例",
    };

    public static ControlGroup ParseGroup(string text) =>
        Codes.TryParse<ControlGroup>(text, ToCode, out var g) ? g : throw new FormatException($"'{text}' is not a control group.");
}
