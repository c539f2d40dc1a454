using Dapper;
using Fangkong.Text;
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

    private readonly List<NewOrderRow> _newOrders = [];
    private readonly List<EventRow> _events = [];
    private readonly List<TestRow> _newTests = [];
    private readonly List<TaskRow> _newTasks = [];
    private readonly List<TestRow> _tests = [];
    private readonly List<TaskRow> _tasks = [];
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
        _newOrders.Add(new NewOrderRow(id, x.Person, x.Group.ToCode(), step.Measure.ToCode(), 0, status.ToCode(), Dates.Format(step.DayZero), Dates.Format(Today), Dates.Format(step.End),
            x.LastExposure, x.SourceCase, now, underControl ? now : null, x.ControlledAt, x.TransferDue, monitor, personOf(x.Person).Address, policy.Id, policy.Version, now));
        _events.Add(new EventRow(id, now, System, null, ControlStatus.Identified.ToCode(), x.SourceCase is null
            ? LoopLog.Write("identified", Phrase.Text("group." + x.Group.ToCode()), policy.Id, policy.Version)
            : LoopLog.Write("identifiedFrom", Phrase.Text("group." + x.Group.ToCode()), policy.Id, policy.Version, Phrase.Number(x.SourceCase.Value))));
        if (x.ControlledAt is { } controlledAt)
        {
            _events.Add(new EventRow(id, controlledAt, System, ControlStatus.Identified.ToCode(), ControlStatus.UnderControl.ToCode(), LoopLog.Write("caseIsolated")));
        }
        _newTests.AddRange(ControlSync.Schedule(id, x.Person, step, Today));
        if (x.NotifyDue is { } notify)
        {
            var title = TaskTitle.Of("notify", TaskTitle.Text("group." + x.Group.ToCode()), TaskTitle.Text("measure." + step.Measure.ToCode()));
            _newTasks.Add(new TaskRow(TaskKeys.Notify(id), "notify", title, "order", id, x.Person, monitor, Home(x.Person), 1, notify, now));
        }
        if (x.TransferDue is { } transfer)
        {
            _newTasks.Add(new TaskRow(TaskKeys.Transfer(id), "transfer", TaskTitle.Of("transfer"), "order", id, x.Person, null, County(x.Person), 1, transfer, now));
        }
        _created++;
    }

    private async Task ConvertAsync(ConvertOrder x, CancellationToken ct)
    {
        var order = x.Order;
        await ControlSync.CloseAsync(s.Connection, s.Transaction, order, ControlStatus.ConvertedToCase, Now, ct);
        await Sites.SiteRepository.CheckOutOrdersAsync(s.Connection, s.Transaction, [order.Id], Now, ct);   // moved to a designated hospital
        _events.Add(new EventRow(order.Id, Now, System, order.Status.ToCode(), ControlStatus.ConvertedToCase.ToCode(), LoopLog.Write("nowCase")));
        _converted++;
    }

    private async Task ReviseAsync(ReviseOrder x, CancellationToken ct)
    {
        var (order, step, now) = (x.Order, x.Plan, Now);
        if (x.NewTransferDue is { } due)
        {
            _tasks.Add(new TaskRow(TaskKeys.Transfer(order.Id, order.Version + 1), "transfer", TaskTitle.Of("transferUpgraded"), "order", order.Id, order.PersonId, null, County(order.PersonId), 1, due, now));
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
            ? LoopLog.Write("upgraded", x.SourceCase is { } source ? Phrase.Number(source) : "?", Phrase.Text("measure." + step.Measure.ToCode()), Phrase.Date(step.End))
            : LoopLog.Write("extended", Phrase.Date(x.ExposureDay), Phrase.Date(order.PlannedEnd), Phrase.Date(step.End));
        _events.Add(new EventRow(order.Id, now, System, order.Status.ToCode(), x.Status.ToCode(), detail));
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
        _tasks.Add(new TaskRow(TaskKeys.Review(order.Id, order.Version), "review", TaskTitle.Of("review"), "order", order.Id, order.PersonId, order.MonitorId,
            County(order.PersonId), 2, x.Due, Now));
        _reviews++;
    }
}
