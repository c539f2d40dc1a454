using Fangkong.Cases;
using Fangkong.Policies;
using Fangkong.Time;

namespace Fangkong.Control;

/// <summary>A close, secondary or grid co-presence contact as tracing stored it (its group), the case that led to them and the end of their last exposure (Unix seconds).</summary>
public sealed record TracedContact(int Person, ControlGroup Group, int IndexCase, long LastExposure)
{
    /// <summary>The control group of a stored contact tier, or null for a tier that gets no order (general contacts).</summary>
    public static ControlGroup? GroupOf(Tracing.ContactTier tier) => tier switch
    {
        Tracing.ContactTier.Close => ControlGroup.CloseContact,
        Tracing.ContactTier.Secondary => ControlGroup.SecondaryContact,
        Tracing.ContactTier.Grid => ControlGroup.GridContact,
        _ => null,
    };
}

/// <summary>A case as the loop needs it: classification, report and isolation times (Unix seconds).</summary>
public sealed record CaseFact(int Person, CaseClassification Classification, long ReportTime, long? IsolationTime);

/// <summary>
/// A person put under control directly, not through tracing: an arrival from a risk area (day 0: the day
/// they left it) or a member of a positive tube (day 0: the day of the result).
/// </summary>
public sealed record ControlRequest(int Person, ControlGroup Group, DateOnly DayZero);

/// <summary>An order that ended in a release (解除): whom it was for, its group and the last exposure it covered (Unix seconds).</summary>
public sealed record ReleasedFact(int Person, ControlGroup Group, long? LastExposure);

/// <summary>One change the synchronisation decided, in the order it was decided (new orders take their numbers in that order).</summary>
public abstract record OrderChange(int Person);

/// <summary>
/// A new order on the first step of its group's plan. <paramref name="ControlledAt"/> is set for a case
/// already isolated (the order starts under control); <paramref name="NotifyDue"/> is set when the person
/// must be told (a notify task); <paramref name="TransferDue"/> when the measure is centralized (a transfer task).
/// </summary>
public sealed record CreateOrder(int Person, ControlGroup Group, PlannedStep Step, long? LastExposure, int? SourceCase, long? ControlledAt, long? NotifyDue, long? TransferDue)
    : OrderChange(Person);

/// <summary>A contact's order closes because the person is now a case (moved to a designated hospital: checked out of any room).</summary>
public sealed record ConvertOrder(ControlOrder Order) : OrderChange(Order.PersonId);

/// <summary>
/// An order moved to a later plan: extended by a later exposure (same group, same step) or upgraded
/// from secondary to close contact (first step of the close contacts' plan, the new index case). When
/// the person moves from home to a site, <paramref name="NewTransferDue"/> carries the new transfer deadline.
/// </summary>
public sealed record ReviseOrder(ControlOrder Order, ControlGroup Group, int Step, PlannedStep Plan, ControlStatus Status, long LastExposure, int? SourceCase,
    long? TransferDue, long? NewTransferDue, bool Upgrade, DateOnly ExposureDay) : OrderChange(Order.PersonId);

/// <summary>A later exposure that does not move the plan (same day 0): only the last exposure is kept.</summary>
public sealed record NoteExposure(ControlOrder Order, long LastExposure) : OrderChange(Order.PersonId);

/// <summary>An order whose reason has gone (a case reclassified, a contact no longer traced): put to a person for review, never dropped.</summary>
public sealed record ReviewOrder(ControlOrder Order, long Due) : OrderChange(Order.PersonId);

/// <summary>
/// The closed loop's synchronisation as a pure function (应隔尽隔): given the traced contacts, the cases,
/// the active orders (one per person), the arrivals to add, the policy and the time, it decides every
/// change that brings the orders in line. Every close or secondary contact and every case ends with
/// exactly one active order; the highest tier stays (a case order is never replaced by a contact's, a
/// close contact's never by a secondary's); a later exposure extends; a secondary contact who becomes
/// close is upgraded; a contact who becomes a case is converted; an order whose reason has gone is
/// reviewed. Deciding twice on the result of the first decision changes nothing (idempotent).
/// </summary>
public static class OrderSync
{
    /// <param name="released">Orders that ended in a release: a person already released from an order that covered
    /// the same or a higher tier and an exposure on the same day or later (the day that counts as day 0) gets no new one when
    /// traced again; a case, none at all once released.</param>
    public static IReadOnlyList<OrderChange> Decide(
        IReadOnlyList<TracedContact> contacts, IReadOnlyList<CaseFact> cases, IReadOnlyDictionary<int, ControlOrder> active, IReadOnlyList<ControlRequest> arrivals,
        PolicyProfile policy, long now, DeploymentCalendar calendar, IReadOnlyList<ReleasedFact>? released = null)
    {
        var changes = new List<OrderChange>();
        var releasedOf = (released ?? []).ToLookup(r => r.Person);
        bool Covered(int person, ControlGroup group, long? lastExposure) => releasedOf[person].Any(r =>
            Rank(r.Group) >= Rank(group) && (group == ControlGroup.Case || (r.LastExposure is { } covered && lastExposure is { } e && calendar.LocalDate(covered) >= calendar.LocalDate(e))));
        var isCase = cases.Where(k => k.Classification.CountsAsCase()).Select(k => k.Person).ToHashSet();
        var notifyDue = now + policy.Control.NotifyWithinHours * 3600L;
        var transferDue = now + policy.TransferWithinHours * 3600L;

        CreateOrder New(int person, ControlGroup group, DateOnly dayZero, long? lastExposure, int? sourceCase, long? controlledAt) =>
            NewOrder(person, group, dayZero, lastExposure, sourceCase, controlledAt, policy, now);

        changes.AddRange(Place(arrivals, policy, now));

        foreach (var k in cases.Where(k => k.Classification.CountsAsCase()))
        {
            if (active.TryGetValue(k.Person, out var order))
            {
                if (order.Group == ControlGroup.Case)
                {
                    continue;
                }
                changes.Add(new ConvertOrder(order));
            }
            else if (Covered(k.Person, ControlGroup.Case, null))
            {
                continue;   // a case already treated and released (出院) stays released
            }
            var isolated = k.IsolationTime is { } iso && iso <= now ? iso : (long?)null;
            changes.Add(New(k.Person, ControlGroup.Case, calendar.LocalDate(k.ReportTime), null, k.Person, isolated));
        }

        var traced = new HashSet<int>();
        foreach (var x in contacts)
        {
            traced.Add(x.Person);
            if (isCase.Contains(x.Person))
            {
                continue;
            }
            var group = x.Group;
            if (!active.TryGetValue(x.Person, out var order))
            {
                if (Covered(x.Person, group, x.LastExposure))
                {
                    continue;   // released from an order that already covered this exposure
                }
                changes.Add(New(x.Person, group, calendar.LocalDate(x.LastExposure), x.LastExposure, x.IndexCase, null));
                continue;
            }
            if (Revise(order, x, group, policy, calendar, transferDue) is { } change)
            {
                changes.Add(change);
            }
        }

        foreach (var (person, order) in active)
        {
            var gone = order.Group switch
            {
                ControlGroup.Case => !isCase.Contains(person),
                ControlGroup.CloseContact or ControlGroup.SecondaryContact or ControlGroup.GridContact => !isCase.Contains(person) && !traced.Contains(person),
                _ => false,
            };
            if (gone)
            {
                changes.Add(new ReviewOrder(order, notifyDue));
            }
        }
        return changes;
    }

    /// <summary>
    /// The orders of people put under control directly (arrivals, a positive tube's members), each on the first
    /// step of their group's plan. The caller passes only people without an active order (one person, one order).
    /// </summary>
    public static IEnumerable<CreateOrder> Place(IEnumerable<ControlRequest> requests, PolicyProfile policy, long now) =>
        requests.Select(r => NewOrder(r.Person, r.Group, r.DayZero, null, null, null, policy, now));

    private static CreateOrder NewOrder(int person, ControlGroup group, DateOnly dayZero, long? lastExposure, int? sourceCase, long? controlledAt, PolicyProfile policy, long now)
    {
        var step = ControlPlan.For(policy, group, dayZero).Steps[0];
        return new CreateOrder(person, group, step, lastExposure, sourceCase, controlledAt,
            controlledAt is null ? now + policy.Control.NotifyWithinHours * 3600L : null, step.Measure.IsCentralized() ? now + policy.TransferWithinHours * 3600L : null);
    }

    /// <summary>How far a group's measures go: a case above a close contact above a secondary contact above a grid co-presence contact; arrivals and positive tubes' members below.</summary>
    private static int Rank(ControlGroup g) => g switch
    {
        ControlGroup.Case => 4,
        ControlGroup.CloseContact => 3,
        ControlGroup.SecondaryContact => 2,
        ControlGroup.GridContact => 1,
        _ => 0,
    };

    private static bool IsContact(ControlGroup g) => g is ControlGroup.CloseContact or ControlGroup.SecondaryContact or ControlGroup.GridContact;

    /// <summary>What a traced contact does to the person's active order: nothing, a noted exposure, an extension or an upgrade.</summary>
    private static OrderChange? Revise(ControlOrder order, TracedContact x, ControlGroup group, PolicyProfile policy, DeploymentCalendar calendar, long transferDue)
    {
        if (order.Group == ControlGroup.Case || (IsContact(order.Group) && Rank(order.Group) > Rank(group)) || (group == ControlGroup.GridContact && order.Group != ControlGroup.GridContact))
        {
            return null;   // the highest tier stays; a grid contact's health monitoring never replaces another plan
        }
        var dayZero = calendar.LocalDate(x.LastExposure);
        // A positive tube's member waits for the re-test in place; traced as a close or secondary contact, they take that plan.
        var upgrade = (IsContact(order.Group) || order.Group == ControlGroup.PoolPositive) && Rank(group) > Rank(order.Group);
        var later = order.LastExposure is null || x.LastExposure > order.LastExposure.Value;
        if (!upgrade && !(later && dayZero > order.DayZero))
        {
            return later ? new NoteExposure(order, x.LastExposure) : null;
        }
        var plan = ControlPlan.For(policy, group, upgrade || dayZero > order.DayZero ? dayZero : order.DayZero);
        var stepIndex = upgrade ? 0 : order.Step;
        var step = plan.Steps[Math.Min(stepIndex, plan.Steps.Count - 1)];
        var status = order.Status;
        var due = order.TransferDue;
        long? newTransfer = null;
        if (step.Measure.IsCentralized() && !order.Measure.IsCentralized() && status is ControlStatus.UnderControl or ControlStatus.Notified or ControlStatus.Identified)
        {
            // Moving from home to a site: the person needs the transfer and the hand-over again.
            status = status == ControlStatus.Identified ? status : ControlStatus.Notified;
            due = newTransfer = transferDue;
        }
        return new ReviseOrder(order, group, stepIndex, step, status, x.LastExposure, upgrade ? x.IndexCase : order.SourceCaseId, due, newTransfer, upgrade, dayZero);
    }
}
