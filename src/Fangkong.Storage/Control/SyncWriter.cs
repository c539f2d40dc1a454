using Dapper;
using Fangkong.Control;
using Fangkong.Jurisdictions;
using Fangkong.Policies;
using Fangkong.Tasks;

namespace Fangkong.Storage.Control;

/// <summary>
/// Writes the changes <see cref="OrderSync"/> decided, in their order: rows of new orders are appended
/// in bulk (they cannot exist yet), rows about existing orders are updated or upserted. New orders get
/// their number, a monitor, their test schedule and first tasks here.
/// </summary>
internal sealed class SyncWriter(StoreSession s, PolicyProfile policy, MonitorPicker monitors, long nextId, Func<int, (string? Community, string? Address)> personOf)
{
    private const string System = "system";

    private readonly List<object?[]> _newOrders = [];
    private readonly List<object?[]> _events = [];
    private readonly List<object?[]> _newTests = [];
    private readonly List<object?[]> _newTasks = [];
    private readonly List<object?[]> _tests = [];
    private readonly List<object?[]> _tasks = [];
    private long _nextId = nextId;
    private int _created, _extended, _upgraded, _converted, _reviews;

    private long Now => s.Db.Now;

    private DateOnly Today => s.Db.Calendar.LocalDate(Now);

    public async Task ApplyAsync(OrderChange change, CancellationToken ct)
    {
        switch (change)
        {
            case CreateOrder x:
                Create(x);
                break;
            case ConvertOrder x:
                await ConvertAsync(x, ct);
                break;
            case ReviseOrder x:
                await ReviseAsync(x, ct);
                break;
            case NoteExposure x:
                await s.Connection.ExecuteAsync(new CommandDefinition("UPDATE control_orders SET last_exposure = @End WHERE id = @Id",
                    new { End = x.LastExposure, x.Order.Id }, s.Transaction, cancellationToken: ct));
                break;
            case ReviewOrder x:
                Review(x);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(change), change, "an order change the writer does not know");
        }
    }

    public async Task<SyncOutcome> FlushAsync(CancellationToken ct)
    {
        await BulkWriter.AppendAsync(s, ControlTables.Orders, _newOrders, ct);
        await BulkWriter.AppendAsync(s, ControlTables.Events, _events, ct);
        await BulkWriter.AppendAsync(s, ControlTables.Tests, _newTests, ct);
        await BulkWriter.UpsertAsync(s, ControlTables.Tests, _tests, ct);
        var tasks = await BulkWriter.AppendAsync(s, ControlTables.Tasks, _newTasks, ct) + await BulkWriter.UpsertAsync(s, ControlTables.Tasks, _tasks, ct);
        return new SyncOutcome(_created, _extended, _upgraded, _converted, _reviews, (int)tasks);
    }

    private string Home(int person) => Scope.HomeOf(personOf(person).Community);

    private string County(int person) => Scope.CountyOf(personOf(person).Community);

    private void Create(CreateOrder x)
    {
        var (id, now, step) = (_nextId++, Now, x.Step);
        var monitor = monitors.Pick(Home(x.Person));
        var underControl = x.ControlledAt is not null;
        var status = underControl ? ControlStatus.UnderControl : ControlStatus.Identified;
        _newOrders.Add([id, x.Person, x.Group.ToCode(), step.Measure.ToCode(), 0, status.ToCode(), 1, Dates.Format(step.DayZero), Dates.Format(Today), Dates.Format(step.End),
            x.LastExposure, (long?)x.SourceCase, now, underControl ? now : null, x.ControlledAt, x.TransferDue, monitor,
            personOf(x.Person).Address, policy.Id, policy.Version, 1, now]);
        _events.Add([id, now, System, null, ControlStatus.Identified.ToCode(), $"{x.Group.ToCode()} under {policy.Id} {policy.Version}" + (x.SourceCase is null ? "" : $", source case #{x.SourceCase}")]);
        if (underControl)
        {
            _events.Add([id, x.ControlledAt, System, ControlStatus.Identified.ToCode(), ControlStatus.UnderControl.ToCode(), "case isolated"]);
        }
        _newTests.AddRange(ControlSync.Schedule(id, x.Person, step, Today));
        if (x.NotifyDue is { } notify)
        {
            _newTasks.Add(ControlTables.Task(TaskKeys.Notify(id), "notify", $"告知{x.Group.ToChinese()}管控措施：{step.Measure.ToChinese()}", "order", id, x.Person, monitor, Home(x.Person), 1, notify, now));
        }
        if (x.TransferDue is { } transfer)
        {
            _newTasks.Add(ControlTables.Task(TaskKeys.Transfer(id), "transfer", "点对点转运至集中隔离点", "order", id, x.Person, null, County(x.Person), 1, transfer, now));
        }
        _created++;
    }

    private async Task ConvertAsync(ConvertOrder x, CancellationToken ct)
    {
        var order = x.Order;
        await ControlSync.CloseAsync(s.Connection, s.Transaction, order, ControlStatus.ConvertedToCase, Now, ct);
        await Sites.SiteRepository.CheckOutOrdersAsync(s.Connection, s.Transaction, [order.Id], Now, ct);   // moved to a designated hospital
        _events.Add([order.Id, Now, System, order.Status.ToCode(), ControlStatus.ConvertedToCase.ToCode(), "the person is now a case"]);
        _converted++;
    }

    private async Task ReviseAsync(ReviseOrder x, CancellationToken ct)
    {
        var (order, step, now) = (x.Order, x.Plan, Now);
        if (x.NewTransferDue is { } due)
        {
            _tasks.Add(ControlTables.Task(TaskKeys.Transfer(order.Id, order.Version + 1), "transfer", "点对点转运至集中隔离点（升级为密接）", "order", order.Id, order.PersonId, null, County(order.PersonId), 1, due, now));
        }
        await s.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE control_orders SET grp = @Grp, measure = @Measure, step = @Step, status = @Status, day_zero = @DayZero, planned_end = @End, last_exposure = @Last, " +
            "source_case_id = @Source, transfer_due = @TransferDue, policy_id = @PolicyId, policy_version = @PolicyVersion, version = version + 1, updated_at = @now WHERE id = @Id",
            new
            {
                Grp = x.Group.ToCode(), Measure = step.Measure.ToCode(), x.Step, Status = x.Status.ToCode(), DayZero = Dates.Format(step.DayZero), End = Dates.Format(step.End),
                Last = x.LastExposure, Source = (long?)x.SourceCase, x.TransferDue, PolicyId = policy.Id, PolicyVersion = policy.Version, now, order.Id,
            }, s.Transaction, cancellationToken: ct));
        await s.Connection.ExecuteAsync(new CommandDefinition("DELETE FROM scheduled_tests WHERE order_id = @Id AND sampled_at IS NULL", new { order.Id }, s.Transaction, cancellationToken: ct));
        _tests.AddRange(ControlSync.Schedule(order.Id, order.PersonId, step, Today));
        var detail = x.Upgrade
            ? $"upgraded to close contact of case #{x.SourceCase}: {step.Measure.ToCode()} until {step.End:yyyy-MM-dd}"
            : $"extended by a new exposure on {x.ExposureDay:yyyy-MM-dd}: planned end {order.PlannedEnd:yyyy-MM-dd} → {step.End:yyyy-MM-dd}";
        _events.Add([order.Id, now, System, order.Status.ToCode(), x.Status.ToCode(), detail]);
        if (x.Upgrade)
        {
            _upgraded++;
        }
        else
        {
            _extended++;
        }
    }

    private void Review(ReviewOrder x)
    {
        var order = x.Order;
        _tasks.Add(ControlTables.Task(TaskKeys.Review(order.Id, order.Version), "review", "复核管控令：判定依据已变化（病例订正或重新追踪）", "order", order.Id, order.PersonId, order.MonitorId,
            County(order.PersonId), 2, x.Due, Now));
        _reviews++;
    }
}
