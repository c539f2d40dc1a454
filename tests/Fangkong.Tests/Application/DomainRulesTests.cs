using Fangkong.Application.Access;
using Fangkong.Application;
using Fangkong.Cases;
using Fangkong.Control;
using Fangkong.Jurisdictions;
using Fangkong.Time;

namespace Fangkong.Tests.Application;

/// <summary>The rules stated once in the domain, checked without a database.</summary>
public sealed class DomainRulesTests
{
    private static readonly DeploymentCalendar Calendar = DeploymentCalendar.Default;

    private static long At(string iso) => IsoTime.TryParse(iso, Calendar, out var t) ? t : throw new FormatException(iso);

    [Theory]
    [InlineData(ControlMeasure.CentralizedQuarantine, ControlStatus.Identified, true)]
    [InlineData(ControlMeasure.CentralizedQuarantine, ControlStatus.Notified, true)]
    [InlineData(ControlMeasure.CentralizedQuarantine, ControlStatus.TransferDispatched, false)]   // the room was chosen before dispatch
    [InlineData(ControlMeasure.CentralizedQuarantine, ControlStatus.Lost, false)]
    [InlineData(ControlMeasure.CentralizedQuarantine, ControlStatus.UnderControl, false)]
    [InlineData(ControlMeasure.HomeQuarantine, ControlStatus.Identified, false)]
    public void AwaitingRoom_IsCentralizedAndNotYetOnTheWay(ControlMeasure measure, ControlStatus status, bool expected) =>
        Assert.Equal(expected, StatusSets.AwaitingRoom(measure, status));

    [Fact]
    public void StatusSets_InSql_AreTheirCodes()
    {
        Assert.Equal("'identified', 'notified'", StatusSets.Sql(StatusSets.BeforeTransfer));
        Assert.Equal("'identified', 'notified', 'transfer_dispatched', 'lost'", StatusSets.Sql(StatusSets.AwaitingHandOver));
        // Every closed step is one the loop says is closed, and no other.
        Assert.Equal(Enum.GetValues<ControlStatus>().Where(s => s.IsClosed()), StatusSets.Closed);
    }

    [Theory]
    [InlineData(CaseClassification.Confirmed, true)]
    [InlineData(CaseClassification.Asymptomatic, true)]
    [InlineData(CaseClassification.Suspected, false)]
    [InlineData(CaseClassification.NotACase, false)]
    public void CountsAsCase_ConfirmedAndAsymptomaticOnly(CaseClassification c, bool expected)
    {
        Assert.Equal(expected, c.CountsAsCase());
        Assert.Equal(expected, CaseClassifications.InfectionsSql.Contains($"'{c.ToCode()}'", StringComparison.Ordinal));
    }

    [Fact]
    public void CaseRules_AWellFormedCase_HasNoProblem() =>
        Assert.Empty(CaseRules.Problems(CaseClassification.Confirmed, new DateOnly(2021, 10, 15), null, At("2021-10-16T05:00:00+08:00"), Calendar));

    [Fact]
    public void CaseRules_AnAsymptomaticCaseWithASamplingTimeOnly_HasNoProblem() =>
        Assert.Empty(CaseRules.Problems(CaseClassification.Asymptomatic, null, At("2021-10-15T10:00:00+08:00"), At("2021-10-16T05:00:00+08:00"), Calendar));

    [Fact]
    public void CaseRules_NoOnsetAndNoSampling_IsRefusedAtTheOnset()
    {
        var p = Assert.Single(CaseRules.Problems(CaseClassification.Suspected, null, null, At("2021-10-16T05:00:00+08:00"), Calendar));
        Assert.Equal(("onset", "onsetOrSampling"), (p.Field, p.Code));
    }

    [Fact]
    public void CaseRules_AReportBeforeTheOnsetDay_IsRefused_ButTheSameDayIsNot()
    {
        // Reported at 23:30 on 10-14 Beijing time (15:30 UTC) with onset 10-15: a day early.
        var p = Assert.Single(CaseRules.Problems(CaseClassification.Confirmed, new DateOnly(2021, 10, 15), null, At("2021-10-14T23:30:00+08:00"), Calendar));
        Assert.Equal(("report", "reportBeforeOnset"), (p.Field, p.Code));
        Assert.Empty(CaseRules.Problems(CaseClassification.Confirmed, new DateOnly(2021, 10, 15), null, At("2021-10-15T00:10:00+08:00"), Calendar));
    }

    [Fact]
    public void CaseRules_NotACase_IsNotRecorded() =>
        Assert.Contains(CaseRules.Problems(CaseClassification.NotACase, new DateOnly(2021, 10, 15), null, At("2021-10-16T05:00:00+08:00"), Calendar), p => p.Code == "notRecorded");

    [Theory]
    [InlineData("640000", "640104003001", true)]
    [InlineData("640000", null, true)]              // the region answers for people of unknown residence
    [InlineData("640100", "640104003001", true)]
    [InlineData("640100", "640302001001", false)]
    [InlineData("640104", "640104003001", true)]
    [InlineData("640104", "640105001001", false)]
    [InlineData("640104", null, false)]
    [InlineData("640104003", "640104003001", true)]
    [InlineData("640104003", "640104004001", false)]
    public void Scope_ADivisionContainsWhatLiesBelowIt(string jurisdiction, string? community, bool expected) =>
        Assert.Equal(expected, Scope.Contains(JurisdictionCode.Parse(jurisdiction), community));

    [Fact]
    public void Actor_WithoutAPermission_IsRefusedWithItsCode()
    {
        var auditor = new Actor("dc", JurisdictionCode.Parse("640104"), new HashSet<Permission> { Permission.ViewCases }, Channel.Web, "127.0.0.1");
        var e = Assert.Throws<RefusedException>(() => auditor.Require(Permission.ControlPeople));
        Assert.Equal("access.permission", e.Code);
        var outside = Assert.Throws<OutsideJurisdictionException>(() => auditor.RequireSees("640105001001", "person:X"));
        Assert.Equal(("access.outside", "person:X"), (outside.Code, outside.Target));
        auditor.RequireSees("640104001001", "person:Y");
    }

    [Fact]
    public void TheOperator_SeesTheWholeRegionAndMayDoEverything()
    {
        var op = Actor.Operator("ops");
        Assert.True(Enum.GetValues<Permission>().All(op.Can));
        Assert.True(op.Sees(null));
        Assert.Null(op.Within);
        Assert.Equal((Channel.Cli, "cli", ""), (op.Channel, op.Source, op.AuditScope));
    }

    [Fact]
    public void TaskKeys_NameWhatTheTaskIsAbout_InCAndInSqlAlike()
    {
        Assert.Equal("test:12:2021-10-20", Fangkong.Tasks.TaskKeys.Test(12, new DateOnly(2021, 10, 20)));
        Assert.Equal("health:12:2021-10-19", Fangkong.Tasks.TaskKeys.HealthCheck(12, new DateOnly(2021, 10, 19)));
        Assert.Equal(("transfer:12", "transfer:12:4"), (Fangkong.Tasks.TaskKeys.Transfer(12), Fangkong.Tasks.TaskKeys.Transfer(12, 4)));
        Assert.Equal("'test:' || t.order_id || ':' || t.due_date", Fangkong.Tasks.TaskKeys.TestSql("t.order_id", "t.due_date"));
    }
}
