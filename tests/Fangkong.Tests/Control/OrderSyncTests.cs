using Fangkong.Cases;
using Fangkong.Control;
using Fangkong.Policies;
using Fangkong.Time;

namespace Fangkong.Tests.Control;

/// <summary>
/// The closed loop's synchronisation as a pure function, without a database. Hand-worked from the
/// 8th edition (close contacts 14 days in a site then 7 at home, secondary contacts 7 days in a site)
/// and the 9th (close contacts 7 days in a site, secondary contacts 7 days of home quarantine); tasks
/// due 2 h (notify) and 12 h (transfer) after identification.
/// </summary>
public sealed class OrderSyncTests
{
    private static readonly DeploymentCalendar Calendar = DeploymentCalendar.Default;
    private static readonly PolicyCatalog Catalog = PolicyCatalog.Load();
    private static readonly PolicyProfile V8 = Catalog.Get("cn-v8-2021");
    private static readonly PolicyProfile V9 = Catalog.Get("cn-v9-2022");
    private static readonly long Now = At("2021-10-18T12:00:00+08:00");

    private static long At(string iso) => IsoTime.TryParse(iso, Calendar, out var t) ? t : throw new FormatException(iso);

    private static ControlOrder Order(int person, ControlGroup group, ControlMeasure measure, ControlStatus status, string dayZero, int days, long? lastExposure, int step = 0) =>
        new(100 + person, person, group, measure, step, status, true, DateOnly.Parse(dayZero, System.Globalization.CultureInfo.InvariantCulture),
            new DateOnly(2021, 10, 17), DateOnly.Parse(dayZero, System.Globalization.CultureInfo.InvariantCulture).AddDays(days), lastExposure, 1,
            At("2021-10-17T12:00:00+08:00"), null, null, null, null, 7, "某街1号", null, "cn-v8-2021", "8", 3);

    private static IReadOnlyList<OrderChange> Decide(IReadOnlyList<TracedContact> contacts, IReadOnlyList<CaseFact>? cases = null, IEnumerable<ControlOrder>? active = null, PolicyProfile? policy = null) =>
        OrderSync.Decide(contacts, cases ?? [], (active ?? []).ToDictionary(o => o.PersonId), [], policy ?? V8, Now, Calendar);

    [Fact]
    public void ANewCloseContact_GetsFourteenDaysInASiteFromTheLastExposure_WithNotifyAndTransferDeadlines()
    {
        var change = Assert.IsType<CreateOrder>(Assert.Single(Decide([new TracedContact(2, ControlGroup.CloseContact, 1, At("2021-10-16T20:30:00+08:00"))])));
        Assert.Equal((ControlGroup.CloseContact, ControlMeasure.CentralizedQuarantine, new DateOnly(2021, 10, 16), new DateOnly(2021, 10, 30)),
            (change.Group, change.Step.Measure, change.Step.DayZero, change.Step.End));
        Assert.Equal([new DateOnly(2021, 10, 17), new DateOnly(2021, 10, 20), new DateOnly(2021, 10, 23), new DateOnly(2021, 10, 30)], change.Step.Tests.Select(t => t.Date));
        Assert.Equal((Now + 2 * 3600, Now + 12 * 3600, 1, (long?)null), (change.NotifyDue, change.TransferDue, change.SourceCase, change.ControlledAt));
    }

    [Fact]
    public void UnderTheNinthEdition_ASecondaryContactStaysHome_WithoutATransfer()
    {
        var change = Assert.IsType<CreateOrder>(Assert.Single(Decide([new TracedContact(3, ControlGroup.SecondaryContact, 1, At("2021-10-17T12:40:00+08:00"))], policy: V9)));
        Assert.Equal((ControlMeasure.HomeQuarantine, new DateOnly(2021, 10, 24), (long?)null), (change.Step.Measure, change.Step.End, change.TransferDue));
    }

    [Fact]
    public void AnIsolatedCase_StartsUnderControl_AndIsNotNotified_ASuspectedCaseGetsNoOrder()
    {
        var isolated = At("2021-10-18T08:00:00+08:00");
        var changes = Decide([], [new CaseFact(1, CaseClassification.Confirmed, At("2021-10-18T09:00:00+08:00"), isolated), new CaseFact(9, CaseClassification.Suspected, Now, null)]);
        var change = Assert.IsType<CreateOrder>(Assert.Single(changes));
        Assert.Equal((1, ControlGroup.Case, ControlMeasure.CaseIsolation, (long?)isolated, (long?)null, 1), (change.Person, change.Group, change.Step.Measure, change.ControlledAt, change.NotifyDue, change.SourceCase));
    }

    [Fact]
    public void AContactWhoBecomesACase_IsConvertedAndGetsACaseOrder_NeverAContactOrder()
    {
        var close = Order(2, ControlGroup.CloseContact, ControlMeasure.CentralizedQuarantine, ControlStatus.UnderControl, "2021-10-16", 14, At("2021-10-16T20:30:00+08:00"));
        var changes = Decide([new TracedContact(2, ControlGroup.CloseContact, 1, At("2021-10-16T20:30:00+08:00"))], [new CaseFact(2, CaseClassification.Asymptomatic, Now, null)], [close]);
        Assert.Collection(changes,
            c => Assert.Equal(close, Assert.IsType<ConvertOrder>(c).Order),
            c => Assert.Equal((2, ControlGroup.Case), (Assert.IsType<CreateOrder>(c).Person, ((CreateOrder)c).Group)));
    }

    [Fact]
    public void ASecondaryContactWhoBecomesClose_IsUpgraded_ToTheFirstStepOfTheClosePlanFromTheNewExposure()
    {
        var secondary = Order(3, ControlGroup.SecondaryContact, ControlMeasure.CentralizedQuarantine, ControlStatus.UnderControl, "2021-10-17", 7, At("2021-10-17T12:40:00+08:00"));
        var change = Assert.IsType<ReviseOrder>(Assert.Single(Decide([new TracedContact(3, ControlGroup.CloseContact, 5, At("2021-10-17T12:40:00+08:00"))], active: [secondary])));
        Assert.Equal((true, ControlGroup.CloseContact, 0, 5, new DateOnly(2021, 10, 31), ControlStatus.UnderControl, (long?)null),
            (change.Upgrade, change.Group, change.Step, change.SourceCase, change.Plan.End, change.Status, change.NewTransferDue));
    }

    [Fact]
    public void UnderTheNinthEdition_AnUpgradeFromHomeToASite_NeedsTheTransferAgain()
    {
        var home = Order(3, ControlGroup.SecondaryContact, ControlMeasure.HomeQuarantine, ControlStatus.UnderControl, "2021-10-17", 7, At("2021-10-17T12:40:00+08:00"));
        var change = Assert.IsType<ReviseOrder>(Assert.Single(Decide([new TracedContact(3, ControlGroup.CloseContact, 5, At("2021-10-17T12:40:00+08:00"))], active: [home], policy: V9)));
        Assert.Equal((ControlMeasure.CentralizedQuarantine, ControlStatus.Notified, (long?)(Now + 12 * 3600)), (change.Plan.Measure, change.Status, change.NewTransferDue));
    }

    [Fact]
    public void AnExposureOnALaterDay_ExtendsThePlannedEnd_ALaterHourTheSameDayOnlyNotesIt_AnEarlierOneChangesNothing()
    {
        var close = Order(2, ControlGroup.CloseContact, ControlMeasure.CentralizedQuarantine, ControlStatus.UnderControl, "2021-10-16", 14, At("2021-10-16T20:30:00+08:00"));
        var extended = Assert.IsType<ReviseOrder>(Assert.Single(Decide([new TracedContact(2, ControlGroup.CloseContact, 1, At("2021-10-17T20:00:00+08:00"))], active: [close])));
        Assert.Equal((false, new DateOnly(2021, 10, 31), ControlGroup.CloseContact, 1), (extended.Upgrade, extended.Plan.End, extended.Group, extended.SourceCase));
        var noted = Assert.IsType<NoteExposure>(Assert.Single(Decide([new TracedContact(2, ControlGroup.CloseContact, 1, At("2021-10-16T22:00:00+08:00"))], active: [close])));
        Assert.Equal(At("2021-10-16T22:00:00+08:00"), noted.LastExposure);
        Assert.Empty(Decide([new TracedContact(2, ControlGroup.CloseContact, 1, At("2021-10-16T10:00:00+08:00"))], active: [close]));
    }

    [Fact]
    public void TheHighestTierStays_ACloseContactTracedAsSecondary_AndACaseTracedAsAContact()
    {
        var close = Order(2, ControlGroup.CloseContact, ControlMeasure.CentralizedQuarantine, ControlStatus.UnderControl, "2021-10-16", 14, At("2021-10-16T20:30:00+08:00"));
        Assert.Empty(Decide([new TracedContact(2, ControlGroup.SecondaryContact, 1, At("2021-10-17T20:00:00+08:00"))], active: [close]));
        var caseOrder = Order(1, ControlGroup.Case, ControlMeasure.CaseIsolation, ControlStatus.UnderControl, "2021-10-18", 0, null);
        Assert.Empty(Decide([new TracedContact(1, ControlGroup.CloseContact, 4, Now)], [new CaseFact(1, CaseClassification.Confirmed, Now, Now)], [caseOrder]));
    }

    [Fact]
    public void AnOrderWhoseReasonHasGone_IsPutUpForReview_NotReleased()
    {
        var close = Order(2, ControlGroup.CloseContact, ControlMeasure.CentralizedQuarantine, ControlStatus.UnderControl, "2021-10-16", 14, At("2021-10-16T20:30:00+08:00"));
        var caseOrder = Order(1, ControlGroup.Case, ControlMeasure.CaseIsolation, ControlStatus.UnderControl, "2021-10-18", 0, null);
        var arrival = Order(8, ControlGroup.ArrivalHighRisk, ControlMeasure.CentralizedQuarantine, ControlStatus.UnderControl, "2021-10-15", 14, null);
        var changes = Decide([], [new CaseFact(1, CaseClassification.NotACase, Now, null)], [close, caseOrder, arrival]);
        Assert.Equal([1, 2], changes.Select(c => Assert.IsType<ReviewOrder>(c).Person).Order());
        Assert.All(changes, c => Assert.Equal(Now + 2 * 3600, ((ReviewOrder)c).Due));
    }

    [Fact]
    public void OrdersInLineWithTheContacts_NeedNoChange()
    {
        var exposure = At("2021-10-16T20:30:00+08:00");
        var close = Order(2, ControlGroup.CloseContact, ControlMeasure.CentralizedQuarantine, ControlStatus.UnderControl, "2021-10-16", 14, exposure);
        var caseOrder = Order(1, ControlGroup.Case, ControlMeasure.CaseIsolation, ControlStatus.UnderControl, "2021-10-18", 0, null);
        Assert.Empty(Decide([new TracedContact(2, ControlGroup.CloseContact, 1, exposure)], [new CaseFact(1, CaseClassification.Confirmed, Now, Now)], [close, caseOrder]));
    }

    [Fact]
    public void APersonReleasedFromAnOrderThatCoveredTheExposure_IsNotOrderedAgain_WhenTracedAgainLater()
    {
        var exposed = At("2021-10-16T20:30:00+08:00");
        var later = At("2021-12-20T08:00:00+08:00");
        IReadOnlyList<ReleasedFact> released =
        [
            new(2, ControlGroup.CloseContact, exposed),
            new(3, ControlGroup.SecondaryContact, exposed),
            new(4, ControlGroup.CloseContact, exposed),
            new(5, ControlGroup.Case, null),
        ];
        TracedContact[] contacts =
        [
            new(2, ControlGroup.CloseContact, 1, At("2021-10-16T23:10:00+08:00")),   // the same exposure, a little longer, the same day: covered
            new(3, ControlGroup.CloseContact, 1, exposed),                            // now a close contact: a secondary contact's release does not cover it
            new(4, ControlGroup.CloseContact, 1, At("2021-10-18T09:00:00+08:00")),   // exposed again two days later: a new day 0, a new order
        ];
        var changes = OrderSync.Decide(contacts, [new CaseFact(5, CaseClassification.Confirmed, At("2021-10-10T09:00:00+08:00"), null)], new Dictionary<int, ControlOrder>(), [], V8, later, Calendar, released);
        Assert.Equal([3, 4], changes.OfType<CreateOrder>().Select(c => c.Person).Order());
        Assert.Equal(2, changes.Count);

        // Without the released orders the same call would order all four again: what a late re-trace did before.
        Assert.Equal(4, OrderSync.Decide(contacts, [new CaseFact(5, CaseClassification.Confirmed, At("2021-10-10T09:00:00+08:00"), null)], new Dictionary<int, ControlOrder>(), [], V8, later, Calendar).Count);
    }

    [Fact]
    public void AGridContact_GetsHealthMonitoringWithTwoTestsInThreeDays_AndNoTransfer()
    {
        var change = Assert.IsType<CreateOrder>(Assert.Single(Decide([new TracedContact(6, ControlGroup.GridContact, 1, At("2021-10-17T09:00:00+08:00"))])));
        Assert.Equal((ControlGroup.GridContact, ControlMeasure.HealthMonitoring, new DateOnly(2021, 10, 20), (long?)null, (long?)(Now + 2 * 3600)),
            (change.Group, change.Step.Measure, change.Step.End, change.TransferDue, change.NotifyDue));
        Assert.Equal([new DateOnly(2021, 10, 18), new DateOnly(2021, 10, 20)], change.Step.Tests.Select(t => t.Date));
    }

    [Fact]
    public void AGridContactFoundCloseLater_IsUpgraded_AndAHigherOrderIsNeverLoweredToGridMonitoring()
    {
        var grid = Order(6, ControlGroup.GridContact, ControlMeasure.HealthMonitoring, ControlStatus.UnderControl, "2021-10-17", 3, At("2021-10-17T09:00:00+08:00"));
        var upgrade = Assert.IsType<ReviseOrder>(Assert.Single(Decide([new TracedContact(6, ControlGroup.CloseContact, 1, At("2021-10-17T09:00:00+08:00"))], active: [grid])));
        Assert.Equal((true, ControlGroup.CloseContact, ControlMeasure.CentralizedQuarantine, (long?)(Now + 12 * 3600)), (upgrade.Upgrade, upgrade.Group, upgrade.Plan.Measure, upgrade.NewTransferDue));

        var secondary = Order(7, ControlGroup.SecondaryContact, ControlMeasure.CentralizedQuarantine, ControlStatus.UnderControl, "2021-10-17", 7, At("2021-10-17T12:40:00+08:00"));
        var arrival = Order(8, ControlGroup.ArrivalHighRisk, ControlMeasure.CentralizedQuarantine, ControlStatus.UnderControl, "2021-10-16", 14, null);
        Assert.Empty(Decide([new TracedContact(7, ControlGroup.GridContact, 1, At("2021-10-18T09:00:00+08:00")), new TracedContact(8, ControlGroup.GridContact, 1, At("2021-10-18T09:00:00+08:00"))], active: [secondary, arrival]));

        // A later grid exposure on another day extends the grid contact's monitoring.
        var later = Assert.IsType<ReviseOrder>(Assert.Single(Decide([new TracedContact(6, ControlGroup.GridContact, 1, At("2021-10-18T09:00:00+08:00"))], active: [grid])));
        Assert.Equal((false, new DateOnly(2021, 10, 21)), (later.Upgrade, later.Plan.End));
    }

    [Fact]
    public void APositiveTubesMemberTracedAsACloseContact_TakesTheClosePlan_AGridContactKeepsTheTemporaryOrder()
    {
        var held = Order(4, ControlGroup.PoolPositive, ControlMeasure.HomeQuarantine, ControlStatus.Notified, "2021-10-18", 2, null);
        var change = Assert.IsType<ReviseOrder>(Assert.Single(Decide([new TracedContact(4, ControlGroup.CloseContact, 1, At("2021-10-17T20:00:00+08:00"))], active: [held])));
        Assert.Equal((true, ControlGroup.CloseContact, ControlMeasure.CentralizedQuarantine, new DateOnly(2021, 10, 31), ControlStatus.Notified, (long?)(Now + 12 * 3600)),
            (change.Upgrade, change.Group, change.Plan.Measure, change.Plan.End, change.Status, change.NewTransferDue));
        Assert.Empty(Decide([new TracedContact(4, ControlGroup.GridContact, 1, At("2021-10-17T20:00:00+08:00"))], active: [held]));
        // Its reason is the tube, not a trace: a sync without contacts leaves it alone (no review).
        Assert.Empty(Decide([], active: [held]));
    }

    [Fact]
    public void APlacedPositiveTubesMember_StaysHomeTwoDaysFromTheResult_UnderBothEditions()
    {
        foreach (var policy in new[] { V8, V9 })
        {
            var change = Assert.Single(OrderSync.Place([new ControlRequest(5, ControlGroup.PoolPositive, new DateOnly(2021, 10, 18))], policy, Now));
            Assert.Equal((ControlMeasure.HomeQuarantine, new DateOnly(2021, 10, 20), 0, (long?)(Now + 2 * 3600), (long?)null),
                (change.Step.Measure, change.Step.End, change.Step.Tests.Count, change.NotifyDue, change.TransferDue));
        }
    }
}
