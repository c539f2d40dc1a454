using Fangkong.Storage;
using Fangkong.Storage.Audit;
using Fangkong.Storage.Control;
using Fangkong.Storage.Sites;
using Fangkong.Web.Access;
using Fangkong.Web.Audit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Fangkong.Web.Api;

public sealed record AuditResponse(IReadOnlyList<AuditRecord> Rows, long Total, AuditVerification Chain);

public static class ReportApi
{
    public static RouteGroupBuilder MapReportApi(this RouteGroupBuilder api)
    {
        api.MapGet("/sites", async (Database db, Viewer viewer, CancellationToken ct) =>
                viewer.Can(Permission.ViewSites) ? Results.Ok(await SiteList.NowAsync(db, viewer.Prefix, ct)) : Problems.Forbidden("your role does not see quarantine sites"))
            .WithTags("Sites").WithName("ListSites").WithSummary("Quarantine sites in the caller's jurisdiction with rooms, reserve and occupancy now.")
            .Produces<List<SiteNow>>();
        api.MapGet("/missing", async (Database db, Viewer viewer, Texts texts, string? kind, CancellationToken ct) =>
            {
                if (!viewer.Can(Permission.ViewMissing))
                {
                    return Problems.Forbidden("your role does not run the completeness audit");
                }
                if (kind is not null && !MissingAudit.Kinds.Contains(kind))
                {
                    return Problems.Invalid("kind", $"'{kind}' is not one of {string.Join(", ", MissingAudit.Kinds)}");
                }
                // What is missing, said in English for machines (the pages say it in the reader's language).
                var rows = await MissingAudit.RunAsync(db, viewer.Jurisdiction, kind, ct: ct);
                return Results.Ok(rows.Select(r => new MissingItem(r.Kind, r.PersonKey, r.Name, r.OrderId, texts.Render(Texts.English, r.Said), r.Answerable)).ToList());
            })
            .WithTags("Control").WithName("WhoIsMissing").WithSummary("Who is missing? Every gap in the closed loop in the caller's jurisdiction, with who answers for it.")
            .Produces<List<MissingItem>>();
        api.MapGet("/audit", async (Database db, Viewer viewer, AuditChainWatch chain, string? actor, string? action, string? target, int? offset, int? limit, CancellationToken ct) =>
            {
                if (!viewer.Can(Permission.ViewAuditLog))
                {
                    return Problems.Forbidden("only auditors search the audit log");
                }
                var (rows, total) = await AuditSearch.FindAsync(db, new AuditFilter(viewer.Prefix, actor, action, target), Math.Max(offset ?? 0, 0), Math.Clamp(limit ?? 100, 1, 1000), ct);
                return Results.Ok(new AuditResponse(rows, total, await chain.CheckAsync(full: false, ct)));
            })
            .WithTags("Audit").WithName("SearchAuditLog").WithSummary("The audit log of the caller's jurisdiction, newest first, and whether the hash chain is intact (auditors only).")
            .Produces<AuditResponse>();
        return api;
    }
}

/// <summary>A gap of the closed loop as the API gives it: what is missing, in words, and who answers for it.</summary>
public sealed record MissingItem(string Kind, string PersonKey, string? Name, long? OrderId, string Detail, string Answerable);
