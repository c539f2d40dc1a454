namespace Fangkong.Policies;

/// <summary>
/// A versioned set of prevention-and-control rules (防控方案), loaded from a data file.
/// Every derived decision records <see cref="Id"/> and <see cref="Version"/>.
/// </summary>
public sealed record PolicyProfile(
    string Id,
    string Version,
    string Title,
    string TitleZh,
    IReadOnlyList<string> Sources,
    TracingRules Tracing,
    MeasureRules Measures,
    int TransferWithinHours,
    ControlRules Control,
    RiskAreaRules RiskAreas,
    TestingRules Testing,
    HealthCodeRules HealthCode,
    double FeverThresholdCelsius,
    RetentionRules? Retention = null)
{
    /// <summary>The profile's retention, or the defaults when it states none.</summary>
    public RetentionRules Keep => Retention ?? RetentionRules.Default;

    /// <summary>Where the profile was loaded from (a file path or an embedded resource name).</summary>
    public string Origin { get; init; } = "";
}

/// <param name="WindowDaysBefore">N: a case's window starts at local midnight N days before onset (or sampling).</param>
public sealed record TracingRules(int WindowDaysBefore, OverlapRule MinimumOverlapMinutes, GridRule Grid, TransportRule Transport);

/// <summary>Minimum co-presence overlap in minutes, by venue type, with a default.</summary>
public sealed record OverlapRule(int Default, IReadOnlyDictionary<string, int>? ByVenueType)
{
    public int ForVenueType(string type) =>
        ByVenueType is not null && ByVenueType.TryGetValue(Venues.VenueTypes.Normalize(type), out var minutes) ? minutes : Default;
}

/// <summary>Grid co-presence (时空伴随): stays in the same cell of the operator's grid qualify when they overlap by more than (or, when not strict, at least) the minimum.</summary>
public sealed record GridRule(int CellMeters, int MinimumMinutes, bool StrictlyLonger, bool LocalPractice)
{
    public long MinimumSeconds => MinimumMinutes * 60L;

    /// <summary>True when an overlap of <paramref name="seconds"/> makes a grid co-presence contact.</summary>
    public bool Qualifies(long seconds) => seconds > 0 && (StrictlyLonger ? seconds > MinimumSeconds : seconds >= MinimumSeconds);
}

public sealed record TransportRule(int FlightRowsEitherSide, bool TrainSameCar, bool SealedCoachEveryone);

/// <summary>One step of a control plan; test days count the day of last exposure as day 0.</summary>
public sealed record MeasureStep(string Measure, int Days, IReadOnlyList<int> TestDays, bool LocalPractice);

public sealed record MeasureRules(
    IReadOnlyList<MeasureStep> CloseContact,
    IReadOnlyList<MeasureStep> SecondaryContact,
    IReadOnlyList<MeasureStep> ArrivalHighRisk,
    IReadOnlyList<MeasureStep> ArrivalMediumRisk,
    IReadOnlyList<MeasureStep>? ArrivalLowRiskAffectedCounty,
    int SecondaryReleaseNeedsCloseContactNegativeTests,
    IReadOnlyList<MeasureStep>? GridContact = null,
    IReadOnlyList<MeasureStep>? PoolPositive = null);

/// <summary>
/// Deadlines of the control loop (闭环管理) and of responsibilities (五个责任). Values the national
/// protocol does not fix are local practice and marked so in the profile.
/// </summary>
/// <param name="NotifyWithinHours">A newly identified person is told of the measure within this many hours.</param>
/// <param name="CloseContactsUnderControlWithinHours">Timeliness target (四早): all close contacts of a case under control within this many hours of its report.</param>
/// <param name="HealthChecksPerDay">Temperature and symptom checks a day for every controlled person.</param>
/// <param name="ReleaseReviewWithinHours">A release decision is due this many hours after the planned end.</param>
/// <param name="EscalateAfterHoursOverdue">An overdue task moves up to the county, city and region after this many hours overdue.</param>
public sealed record ControlRules(int NotifyWithinHours, int CloseContactsUnderControlWithinHours, int HealthChecksPerDay, int ReleaseReviewWithinHours, EscalationRule EscalateAfterHoursOverdue, bool LocalPractice);

public sealed record EscalationRule(int County, int City, int Region);

public sealed record LiftingRule(string From, string To, int DaysWithoutNewCases, bool FinalNegativeRound);

public sealed record RiskAreaRules(string Scheme, IReadOnlyList<string> Levels, IReadOnlyList<LiftingRule> Lifting);

public sealed record TestingRules(PoolingRules Pooling, IReadOnlyDictionary<string, int>? MassTestingDeadlineHours, KeyGroupRules? KeyGroups = null, RecallRules? Recall = null)
{
    /// <summary>The recall of a positive tube's people; a profile without its own gets <see cref="RecallRules.Default"/>.</summary>
    public RecallRules RecallOrDefault => Recall ?? RecallRules.Default;
}

/// <summary>
/// The recall of a positive or inconclusive tube (混管阳性召回): each member is re-sampled individually
/// within <paramref name="ResampleWithinHours"/> of the result (a task for their community).
/// </summary>
public sealed record RecallRules(int ResampleWithinHours, bool LocalPractice = false)
{
    public static readonly RecallRules Default = new(6, LocalPractice: true);
}

/// <summary>Routine testing of key groups (重点人群: airport, station, cold-chain, quarantine-site, medical, delivery staff…): every how many days each group is tested.</summary>
public sealed record KeyGroupRules(IReadOnlyDictionary<string, int> FrequencyDays, bool LocalPractice = false);

/// <summary>
/// How samples go into tubes (codes of <see cref="Testing.PoolingMode"/>): at an isolation site, for a key
/// group (重点人群), by the risk level of the area sampled, else the default; the first that applies.
/// </summary>
public sealed record PoolingRules(string IsolationSite, string KeyGroup, IReadOnlyDictionary<string, string>? ByRiskLevel, string Default, bool LocalPractice = false)
{
    public Testing.PoolingMode For(Testing.SamplingContext where) => Testing.PoolingMode.Parse(
        where.AtIsolationSite ? IsolationSite
        : where.KeyGroup ? KeyGroup
        : where.RiskLevel is { } level && ByRiskLevel is not null && ByRiskLevel.TryGetValue(level, out var byLevel) ? byLevel
        : Default);

    /// <summary>The pooled sizes this profile uses anywhere: the choices the round planner weighs with <see cref="Testing.PoolSizing.BestOf"/>.</summary>
    public IReadOnlyList<int> PooledSizes => [.. new[] { IsolationSite, KeyGroup, Default }.Concat(ByRiskLevel?.Values ?? [])
        .Select(Testing.PoolingMode.Parse).Where(m => m.Kind == Testing.PoolingKind.Pooled).Select(m => m.Size).Distinct().Order()];

    /// <summary>The most people a pooled tube may hold under this profile (a tube with more is a bad row).</summary>
    public int LargestPool => PooledSizes.DefaultIfEmpty(1).Max();
}

public sealed record HealthCodeRules(IReadOnlyList<string> Red, IReadOnlyList<string> Yellow);

/// <summary>
/// How long personal data is kept (数据最小化): check-ins by whole local days; the contacts, orders,
/// health checks and tasks of a person released longer ago than <paramref name="PseudonymizeAfterReleaseDays"/>
/// are detached from their identity (去标识化). Neither is fixed by the national protocol: local practice.
/// </summary>
public sealed record RetentionRules(int CheckinDays, int PseudonymizeAfterReleaseDays, bool LocalPractice = true)
{
    public static readonly RetentionRules Default = new(28, 28);
}
