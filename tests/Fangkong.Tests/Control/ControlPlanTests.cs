using Fangkong.Control;
using Fangkong.Policies;

namespace Fangkong.Tests.Control;

/// <summary>
/// Control plans worked by hand from the protocol text (SPEC 3): day 0 is the day of the last
/// exposure; the 8th edition puts a close contact in 14 days of centralized quarantine with tests on
/// days 1, 4, 7 and 14, then 7 days of home health monitoring with tests on its days 2 and 7; the 9th
/// edition 7 days with tests on days 1, 2, 3, 5, 7, then 3 days of home health monitoring, test on day 3.
/// </summary>
public sealed class ControlPlanTests
{
    private static readonly PolicyCatalog Catalog = PolicyCatalog.Load();

    private static string[] Dates(PlannedStep s) => s.Tests.Select(t => t.Date.ToString("MM-dd", System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    [Fact]
    public void Next_AfterTheSiteComesHomeMonitoringFromTheDayTheSiteEnded_AndNothingAfterTheLastStep()
    {
        var v8 = Catalog.Get("cn-v8-2021");
        // A close contact released from the site on 10-31, a day later than planned (the release is decided on or after the end).
        var next = ControlPlan.Next(v8, ControlGroup.CloseContact, 0, new DateOnly(2021, 11, 1))!;
        Assert.Equal((ControlMeasure.HomeHealthMonitoring, new DateOnly(2021, 11, 1), new DateOnly(2021, 11, 8)), (next.Measure, next.DayZero, next.End));
        Assert.Equal(["11-03", "11-08"], Dates(next));                                   // days 2 and 7
        Assert.Null(ControlPlan.Next(v8, ControlGroup.CloseContact, 1, new DateOnly(2021, 11, 8)));
        Assert.Null(ControlPlan.Next(v8, ControlGroup.SecondaryContact, 0, new DateOnly(2021, 10, 24)));
        Assert.Null(ControlPlan.Next(v8, ControlGroup.Case, 0, new DateOnly(2021, 10, 24)));
    }

    [Fact]
    public void V8_CloseContact_LastExposedOn17October()
    {
        var plan = ControlPlan.For(Catalog.Get("cn-v8-2021"), ControlGroup.CloseContact, new DateOnly(2021, 10, 17));
        Assert.Equal(2, plan.Steps.Count);
        var quarantine = plan.Steps[0];
        Assert.Equal(ControlMeasure.CentralizedQuarantine, quarantine.Measure);
        Assert.Equal(new DateOnly(2021, 10, 31), quarantine.End);                       // 17 + 14
        Assert.Equal(["10-18", "10-21", "10-24", "10-31"], Dates(quarantine));          // days 1, 4, 7, 14
        var monitoring = plan.Steps[1];
        Assert.Equal(ControlMeasure.HomeHealthMonitoring, monitoring.Measure);
        Assert.Equal(new DateOnly(2021, 10, 31), monitoring.DayZero);
        Assert.Equal(new DateOnly(2021, 11, 7), monitoring.End);                        // 7 more days
        Assert.Equal(["11-02", "11-07"], Dates(monitoring));                            // its days 2 and 7
        Assert.Equal(("cn-v8-2021", "8.0"), (plan.PolicyId, plan.PolicyVersion));
    }

    [Fact]
    public void V9_CloseContact_LastExposedOn1July2022()
    {
        var plan = ControlPlan.For(Catalog.Get("cn-v9-2022"), ControlGroup.CloseContact, new DateOnly(2022, 7, 1));
        Assert.Equal(new DateOnly(2022, 7, 8), plan.Steps[0].End);
        Assert.Equal(["07-02", "07-03", "07-04", "07-06", "07-08"], Dates(plan.Steps[0]));
        Assert.Equal(ControlMeasure.HomeHealthMonitoring, plan.Steps[1].Measure);
        Assert.Equal(new DateOnly(2022, 7, 11), plan.Steps[1].End);
        Assert.Equal(["07-11"], Dates(plan.Steps[1]));
    }

    [Fact]
    public void SecondaryContacts_V8InASite_V9AtHome_TestsOnDays1_4_7()
    {
        var v8 = ControlPlan.For(Catalog.Get("cn-v8-2021"), ControlGroup.SecondaryContact, new DateOnly(2021, 10, 19));
        Assert.Equal(ControlMeasure.CentralizedQuarantine, Assert.Single(v8.Steps).Measure);
        Assert.Equal(["10-20", "10-23", "10-26"], Dates(v8.Steps[0]));
        Assert.Equal(new DateOnly(2021, 10, 26), v8.Steps[0].End);
        var v9 = ControlPlan.For(Catalog.Get("cn-v9-2022"), ControlGroup.SecondaryContact, new DateOnly(2022, 7, 1));
        Assert.Equal(ControlMeasure.HomeQuarantine, Assert.Single(v9.Steps).Measure);
        Assert.Equal(["07-02", "07-05", "07-08"], Dates(v9.Steps[0]));
    }

    [Fact]
    public void Arrivals_FromAHighRiskArea_V8_14DaysWith5Tests()
    {
        var plan = ControlPlan.For(Catalog.Get("cn-v8-2021"), ControlGroup.ArrivalHighRisk, new DateOnly(2021, 10, 20));
        Assert.Equal(["10-21", "10-24", "10-27", "10-30", "11-03"], Dates(plan.Steps[0]));
    }

    [Fact]
    public void ACase_IsIsolatedWithoutAPlannedEnd()
    {
        var plan = ControlPlan.For(Catalog.Get("cn-v8-2021"), ControlGroup.Case, new DateOnly(2021, 10, 20));
        Assert.Equal(ControlMeasure.CaseIsolation, Assert.Single(plan.Steps).Measure);
        Assert.Equal(DateOnly.MaxValue, plan.Steps[0].End);
    }
}

public sealed class ControlLoopTests
{
    public static TheoryData<ControlStatus, ControlStatus, ControlMeasure, bool> Steps => new()
    {
        { ControlStatus.Identified, ControlStatus.Notified, ControlMeasure.CentralizedQuarantine, true },
        { ControlStatus.Notified, ControlStatus.TransferDispatched, ControlMeasure.CentralizedQuarantine, true },
        { ControlStatus.Notified, ControlStatus.UnderControl, ControlMeasure.CentralizedQuarantine, false },
        { ControlStatus.Notified, ControlStatus.UnderControl, ControlMeasure.HomeQuarantine, true },
        { ControlStatus.Notified, ControlStatus.TransferDispatched, ControlMeasure.HomeQuarantine, false },
        { ControlStatus.TransferDispatched, ControlStatus.Arrived, ControlMeasure.CentralizedQuarantine, true },
        { ControlStatus.Arrived, ControlStatus.UnderControl, ControlMeasure.CentralizedQuarantine, true },
        { ControlStatus.UnderControl, ControlStatus.Released, ControlMeasure.CentralizedQuarantine, true },
        { ControlStatus.Identified, ControlStatus.Released, ControlMeasure.HomeQuarantine, false },
        { ControlStatus.Identified, ControlStatus.UnderControl, ControlMeasure.HomeQuarantine, false },
        { ControlStatus.Identified, ControlStatus.Arrived, ControlMeasure.CentralizedQuarantine, false },
        { ControlStatus.Notified, ControlStatus.Lost, ControlMeasure.HomeQuarantine, true },
        { ControlStatus.Lost, ControlStatus.Notified, ControlMeasure.HomeQuarantine, true },
        { ControlStatus.Lost, ControlStatus.Lost, ControlMeasure.HomeQuarantine, false },
        { ControlStatus.TransferDispatched, ControlStatus.ConvertedToCase, ControlMeasure.CentralizedQuarantine, true },
        { ControlStatus.Released, ControlStatus.Notified, ControlMeasure.HomeQuarantine, false },
        { ControlStatus.ConvertedToCase, ControlStatus.Lost, ControlMeasure.HomeQuarantine, false },
        { ControlStatus.UnderControl, ControlStatus.Notified, ControlMeasure.HomeQuarantine, false },
    };

    [Theory]
    [MemberData(nameof(Steps))]
    public void OnlyTheLoopsStepsAreAllowed(ControlStatus from, ControlStatus to, ControlMeasure measure, bool allowed)
    {
        var refusal = ControlLoop.Refusal(from, to, measure);
        Assert.Equal(allowed, refusal is null);
        if (!allowed)
        {
            Assert.False(string.IsNullOrWhiteSpace(refusal));
        }
    }

    [Fact]
    public void ARefusalSaysWhatCanComeNext()
    {
        var refusal = ControlLoop.Refusal(ControlStatus.Notified, ControlStatus.UnderControl, ControlMeasure.CentralizedQuarantine);
        Assert.Contains("transfer_dispatched", refusal, StringComparison.Ordinal);
    }
}

public sealed class ReleaseCriteriaTests
{
    private static readonly DateOnly End = new(2021, 10, 26);

    private static ReleaseFacts Secondary(string?[] own, string?[] closeContact) => new(
        ControlGroup.SecondaryContact, ControlStatus.UnderControl, End,
        own.Select((r, i) => new ScheduledTest(End.AddDays(-6 + 3 * i), 1 + 3 * i, r)).ToList(), closeContact, 2);

    [Fact]
    public void ReleasedWhenTheEndIsReached_AllTestsNegative_AndTheCloseContactsFirstTwoNegative() =>
        Assert.Empty(ReleaseCriteria.Unmet(Secondary(["negative", "negative", "negative"], ["negative", "negative", null]), End));

    [Fact]
    public void EveryUnmetCriterionIsNamed()
    {
        var unmet = ReleaseCriteria.Unmet(Secondary(["negative", null, "positive"], ["negative"]), End.AddDays(-1));
        Assert.Equal(4, unmet.Count);
        Assert.Contains(unmet, u => u.Contains("planned end is 2021-10-26", StringComparison.Ordinal));
        Assert.Contains(unmet, u => u.Contains("day-4 test (2021-10-23) has no result", StringComparison.Ordinal));
        Assert.Contains(unmet, u => u.Contains("day-7 test (2021-10-26) is positive", StringComparison.Ordinal));
        Assert.Contains(unmet, u => u.Contains("close contact's first 2 tests", StringComparison.Ordinal));
    }

    [Fact]
    public void TheCloseContactsSecondTestPositive_Refuses() =>
        Assert.Single(ReleaseCriteria.Unmet(Secondary(["negative", "negative", "negative"], ["negative", "positive"]), End));

    [Fact]
    public void ACaseIsDischargedAfterTwoNegativeTestsInARow()
    {
        ReleaseFacts Case(params string?[] results) => new(ControlGroup.Case, ControlStatus.UnderControl, DateOnly.MaxValue,
            results.Select((r, i) => new ScheduledTest(End.AddDays(i), i, r)).ToList(), null, 2);
        Assert.Empty(ReleaseCriteria.Unmet(Case("positive", "negative", "negative"), End));
        Assert.Single(ReleaseCriteria.Unmet(Case("negative", "positive"), End));
        Assert.Single(ReleaseCriteria.Unmet(Case("negative"), End));
    }
}
