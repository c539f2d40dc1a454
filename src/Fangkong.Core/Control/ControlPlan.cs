using Fangkong.Policies;

namespace Fangkong.Control;

/// <summary>One step of a person's plan with its dates: the measure, its day 0, its last day and its test days.</summary>
/// <param name="DayZero">Day 0 of the step: the day of the last exposure for the first step, the previous step's last day for the next ones.</param>
/// <param name="End">The planned end: the step's last day (day 0 + days); release is decided on or after it.</param>
public sealed record PlannedStep(ControlMeasure Measure, DateOnly DayZero, DateOnly End, IReadOnlyList<(int Day, DateOnly Date)> Tests);

/// <summary>
/// A person's control plan under a policy profile (SPEC 3): the steps of their group's plan, counted
/// from the day of the last exposure as day 0. A case's plan is isolation without a planned end.
/// </summary>
public sealed record ControlPlan(ControlGroup Group, IReadOnlyList<PlannedStep> Steps, string PolicyId, string PolicyVersion)
{
    public static ControlPlan For(PolicyProfile policy, ControlGroup group, DateOnly dayZero)
    {
        if (group == ControlGroup.Case)
        {
            return new ControlPlan(group, [new PlannedStep(ControlMeasure.CaseIsolation, dayZero, DateOnly.MaxValue, [])], policy.Id, policy.Version);
        }
        var steps = new List<PlannedStep>();
        var zero = dayZero;
        foreach (var s in StepsOf(policy, group))
        {
            var end = zero.AddDays(s.Days);
            steps.Add(new PlannedStep(ControlCodes.ParseMeasure(s.Measure), zero, end, s.TestDays.Select(d => (d, zero.AddDays(d))).ToList()));
            zero = end;
        }
        if (steps.Count == 0)
        {
            throw new PolicyLoadException($"policy {policy.Id} has no plan for {group.ToCode()}");
        }
        return new ControlPlan(group, steps, policy.Id, policy.Version);
    }

    /// <summary>
    /// The step that follows step <paramref name="step"/> of the group's plan once it ends on <paramref name="end"/>
    /// (its day 0), or null when the plan ends there (e.g. 14 d centralized → 7 d home health monitoring under cn-v8-2021).
    /// </summary>
    public static PlannedStep? Next(PolicyProfile policy, ControlGroup group, int step, DateOnly end)
    {
        var steps = StepsOf(policy, group);
        if (group == ControlGroup.Case || step + 1 >= steps.Count)
        {
            return null;
        }
        var n = steps[step + 1];
        return new PlannedStep(ControlCodes.ParseMeasure(n.Measure), end, end.AddDays(n.Days), n.TestDays.Select(d => (d, end.AddDays(d))).ToList());
    }

    public static IReadOnlyList<MeasureStep> StepsOf(PolicyProfile policy, ControlGroup group) => group switch
    {
        ControlGroup.CloseContact => policy.Measures.CloseContact,
        ControlGroup.SecondaryContact => policy.Measures.SecondaryContact,
        ControlGroup.ArrivalHighRisk => policy.Measures.ArrivalHighRisk,
        ControlGroup.ArrivalMediumRisk => policy.Measures.ArrivalMediumRisk,
        ControlGroup.ArrivalLowRiskAffectedCounty => policy.Measures.ArrivalLowRiskAffectedCounty ?? [],
        ControlGroup.GridContact => policy.Measures.GridContact ?? [],
        ControlGroup.PoolPositive => policy.Measures.PoolPositive ?? [],
        _ => [],
    };
}
