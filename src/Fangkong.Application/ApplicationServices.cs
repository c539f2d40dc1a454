using Fangkong.Application.Audit;
using Fangkong.Application.Cases;
using Fangkong.Application.Control;
using Fangkong.Application.Policies;
using Fangkong.Application.Tasks;
using Fangkong.Application.Tracing;
using Fangkong.Policies;
using Fangkong.Storage.Audit;
using Fangkong.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Fangkong.Application;

/// <summary>
/// The one composition of the use cases, shared by the command centre and the command line: the
/// store, the policy catalog and the store's choice of profile, the audit log and every handler.
/// </summary>
public static class ApplicationServices
{
    /// <param name="realClock">Real time for audit entries (the store's clock may be simulated).</param>
    public static IServiceCollection AddFangkong(this IServiceCollection services, Database db, PolicyCatalog catalog, TimeProvider? realClock = null)
    {
        services.AddSingleton(db);
        services.AddSingleton(catalog);
        services.AddSingleton(realClock ?? TimeProvider.System);
        services.AddSingleton(_ => new AuditLog(db));
        services.AddSingleton<AuditSink>();
        services.AddSingleton<StorePolicy>();
        services.AddSingleton<PeopleInScope>();
        services.AddSingleton<FieldRounds>();
        services.AddSingleton<Accounts.AccountAdmin>();
        services.AddSingleton<Accounts.SetLanguage>();
        services.AddSingleton<Privacy.RunRetention>();
        services.AddSingleton<Privacy.CloseOutbreak>();
        services.AddSingleton<TaskRecords>();
        services.AddSingleton<Retrace>();
        services.AddSingleton<CaseTracing>();
        services.AddSingleton<RecordCase>();
        services.AddSingleton<ClassifyCase>();
        services.AddSingleton<MoveOrder>();
        services.AddSingleton<ReleaseOrder>();
        services.AddSingleton<ReleaseAllDue>();
        services.AddSingleton<PlaceInRooms>();
        services.AddSingleton<BulkControl>();
        services.AddSingleton<BulkTasks>();
        services.AddSingleton<RecordHealthCheck>();
        services.AddSingleton<RecordSample>();
        services.AddSingleton<RecordResult>();
        services.AddSingleton<ChangeMeasure>();
        services.AddSingleton<AssignMonitor>();
        services.AddSingleton<AddArrival>();
        services.AddSingleton<CompleteTask>();
        services.AddSingleton<EscalateTask>();
        services.AddSingleton<Imports.ImportFile>();
        services.AddSingleton<Sites.AddSite>();
        services.AddSingleton<Sites.AddRooms>();
        services.AddSingleton<Sites.AddSiteStaff>();
        services.AddSingleton<Sites.CheckOutOfRoom>();
        services.AddSingleton<Staff.AddStaff>();
        services.AddSingleton<AddItineraryEntry>();
        services.AddSingleton<People.MergePeople>();
        services.AddSingleton<People.RegisterPerson>();
        services.AddSingleton<RunClock>();
        services.AddSingleton<Time.SetClock>();
        return services;
    }
}
