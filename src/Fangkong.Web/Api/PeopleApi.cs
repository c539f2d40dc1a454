using Fangkong.Application;
using Fangkong.Application.Imports;
using Fangkong.Application.People;
using Fangkong.Control;
using Fangkong.Files;
using Fangkong.Files.Imports;
using Fangkong.People;
using Fangkong.Storage;
using Fangkong.Storage.People;
using Fangkong.Web.Access;
using Fangkong.Web.Audit;
using Fangkong.Web.Forms;
using Fangkong.Web.People;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Fangkong.Web.Api;

/// <summary>A person as the caller may see them: masked (and without address) outside the caller's jurisdiction.</summary>
public sealed record PersonResponse(string PersonKey, string Name, string IdNumber, string Phone, string Address, string? Community, bool Masked, string? Match = null);

/// <summary>A person to register (SPEC C1's fields); the key is given by the store.</summary>
public sealed record RegisterPersonRequest(string? Name, string? IdType, string? IdNumber, string? Sex, string? BirthDate, string? Phone, string? CommunityCode, string? Address);

/// <summary>Records sharing a name and a mobile number, for review; <c>Mergeable</c> is false when two of them carry different document numbers.</summary>
public sealed record DuplicateResponse(string Name, string Phone, IReadOnlyList<PersonResponse> Members, bool Mergeable);

public sealed record MergeRequest(string? Other);

/// <summary>One problem of a row: its line (the header is line 1), the column and the reason.</summary>
public sealed record RowProblem(long Line, string Column, string Reason, string? Code);

/// <summary>What an import did: <c>Joined</c> counts person rows under a new key that joined the person already holding their document number (the same name and birth date).</summary>
public sealed record ImportResponse(string Kind, long Rows, long Accepted, long Rejected, long Written, long Joined, bool Refused, long BadRows, IReadOnlyList<RowProblem> Errors);

/// <summary>
/// People for machines: find a person (by key, document or phone anywhere, masked outside; by the start
/// of a name inside the jurisdiction), read one, register one, list possible duplicates and merge two
/// records of one person; and imports of SPEC 4.1's files as a CSV request body — the same rules as the
/// import page and the command line (all-or-nothing unless <c>skipBad</c>; a document number already
/// held by another person under another name or birth date is a bad row naming that person's key).
/// </summary>
public static class PeopleApi
{
    public const int SearchLimit = 50;

    public static RouteGroupBuilder MapPeopleApi(this RouteGroupBuilder api)
    {
        var people = api.MapGroup("/people").WithTags("People");
        people.MapGet("", SearchAsync).WithName("FindPeople")
            .WithSummary("Finds people by person_id, document number or mobile number (anywhere, masked outside the caller's jurisdiction) or by the start of a name (inside it).")
            .Produces<IReadOnlyList<PersonResponse>>().ProducesProblem(StatusCodes.Status400BadRequest);
        people.MapPost("", RegisterAsync).WithName("RegisterPerson")
            .WithSummary("Registers a person found in the field; 400 naming each bad field, 409 when the document number is already registered (naming the person inside the caller's jurisdiction).")
            .Produces<PersonResponse>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict);
        people.MapGet("/duplicates", DuplicatesAsync).WithName("ListDuplicates")
            .WithSummary("Possible duplicates in the caller's jurisdiction: records with the same name and mobile number, for review (never merged by themselves).")
            .Produces<PageResponse<DuplicateResponse>>();
        people.MapGet("/{key}", GetAsync).WithName("GetPerson")
            .WithSummary("A person's identity by any of their keys; 404 outside the caller's jurisdiction.")
            .Produces<PersonResponse>().ProducesProblem(StatusCodes.Status404NotFound);
        people.MapPost("/{key}/merge", MergeAsync).WithName("MergePeople")
            .WithSummary("Joins the record 'other' into this one (both histories kept); 409 when they carry different document numbers.")
            .Produces<PersonResponse>().ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/imports/{kind}", ImportAsync).WithTags("Imports").WithName("ImportFile")
            .WithSummary("Imports one of the exchange files (persons, venues, checkins, exposures, cases, jurisdictions, transport) sent as the UTF-8 CSV request body; 422 with every bad row (line, column, reason) when refused.")
            .Accepts<string>("text/csv").Produces<ImportResponse>().ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status400BadRequest)
            .DisableAntiforgery().WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(UploadText.MaxBytes));
        return api;
    }

    private static PersonResponse Of(Person p, Viewer viewer, string? match = null)
    {
        var v = PersonView.Of(p, viewer);
        return new PersonResponse(v.Key, v.Name, v.IdNumber, v.Phone, v.Address, v.Masked && v.Community is { Length: >= 6 } c ? c[..6] : v.Community, v.Masked, match);
    }

    private static async Task<IResult> SearchAsync(string? q, Database db, Viewer viewer, AuditTrail audit, CancellationToken ct)
    {
        if (!viewer.Can(Permission.ViewContacts))
        {
            return Problems.Forbidden("your role does not look people up");
        }
        var query = (q ?? "").Trim();
        if (query.Length is 0 or > 64)
        {
            return Problems.Invalid("q", "give a name, document number, mobile number or person_id (1–64 characters)");
        }
        var hits = await PersonSearch.FindAsync(db, query, viewer.Prefix, SearchLimit, ct);
        await audit.RecordAsync("person.search", $"jurisdiction:{viewer.Jurisdiction.Value}",
            $"api: {hits.Count} found" + (hits.Count == 0 ? "" : " — " + string.Join(",", hits.Take(20).Select(h => h.Stored.Person.PersonKey))));
        return Results.Ok(hits.Select(h => Of(h.Stored.Person, viewer, h.Match.ToString().ToLowerInvariant())).ToList());
    }

    private static async Task<IResult> GetAsync(string key, Viewer viewer, PersonRecords records, CancellationToken ct)
    {
        if (!viewer.Can(Permission.ViewContacts))
        {
            return Problems.Forbidden("your role does not look people up");
        }
        return await records.OpenAsync(key, "apiPerson", ct) is { } stored ? Results.Ok(Of(stored.Person, viewer)) : Problems.NotFound($"person '{key}'");
    }

    private static async Task<IResult> RegisterAsync(RegisterPersonRequest body, Viewer viewer, Actor actor, RegisterPerson register, CancellationToken ct)
    {
        if (!viewer.Can(Permission.RegisterPeople))
        {
            return Problems.Forbidden("your role does not register people");
        }
        var problems = new List<PersonProblem>();
        if (RegisterPersonCommand.Parse(body.Name, body.IdType, body.IdNumber, body.Sex, body.BirthDate, body.Phone, body.CommunityCode, body.Address, problems) is not { } command)
        {
            return Invalid(problems);
        }
        try
        {
            var stored = await register.HandleAsync(actor, command, ct);
            return Results.Created($"/api/v1/people/{Uri.EscapeDataString(stored.Person.PersonKey)}", Of(stored.Person, viewer));
        }
        catch (PersonInvalidException e)
        {
            return Invalid(e.Problems);
        }
        catch (RefusedException e)
        {
            return Problems.Conflict(e.Message);
        }
    }

    /// <summary>400 naming the first bad field, with every problem at its field.</summary>
    private static IResult Invalid(IReadOnlyList<PersonProblem> problems) =>
        Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid input", detail: string.Join("; ", problems.Select(p => $"{p.Field}: {p.Message}")),
            extensions: new Dictionary<string, object?> { ["field"] = problems[0].Field, ["errors"] = problems.Select(p => new { field = p.Field, code = p.Code, reason = p.Message }).ToList() });

    private static async Task<IResult> DuplicatesAsync(int? page, int? size, Database db, Viewer viewer, AuditTrail audit, CancellationToken ct)
    {
        if (!viewer.Can(Permission.ViewContacts))
        {
            return Problems.Forbidden("your role does not look people up");
        }
        var paging = new PageRequest(page ?? 1, size ?? 50);
        var found = await PersonDuplicates.ListAsync(db, viewer.Prefix, paging, ct);
        await audit.RecordAsync("person.duplicates", $"jurisdiction:{viewer.Jurisdiction.Value}",
            $"api: {found.Total} groups; page {paging.Page}" + (found.Rows.Count == 0 ? "" : " — " + string.Join(",", found.Rows.SelectMany(g => g.Members).Take(40).Select(m => m.Person.PersonKey))));
        var rows = found.Rows.Select(g => new DuplicateResponse(g.Name, g.Phone, [.. g.Members.Select(m => Of(m.Person, viewer))],
            g.Mergeable)).ToList();
        return Results.Ok(new PageResponse<DuplicateResponse>(rows, found.Total, paging.Page, found.Pages));
    }

    private static async Task<IResult> MergeAsync(string key, MergeRequest body, Database db, Viewer viewer, Actor actor, MergePeople merge, CancellationToken ct)
    {
        if (!viewer.Can(Permission.EditCases))
        {
            return Problems.Forbidden("your role does not merge records");
        }
        if (string.IsNullOrWhiteSpace(body.Other))
        {
            return Problems.Invalid("other", "is empty: give the person_id of the record to join into this one");
        }
        try
        {
            await merge.HandleAsync(actor, key, body.Other.Trim(), ct);
        }
        catch (OutsideJurisdictionException)
        {
            return Problems.NotFound($"person '{key}' or '{body.Other.Trim()}'");
        }
        catch (RefusedException e)
        {
            return Problems.Conflict(e.Message);
        }
        return Results.Ok(Of((await PersonRepository.FindAsync(db, key, ct))!.Person, viewer));
    }

    private static async Task<IResult> ImportAsync(string kind, bool? skipBad, HttpRequest request, Viewer viewer, Actor actor, ImportFile import, CancellationToken ct)
    {
        if (!viewer.Can(Permission.Import))
        {
            return Problems.Forbidden("your role does not import files");
        }
        if (!FileColumns.TryParseKind(kind, out var fileKind))
        {
            return Problems.Invalid("kind", $"'{kind}' is not one of {string.Join(", ", Enum.GetValues<FileKind>().Select(k => k.ToString().ToLowerInvariant()))}");
        }
        var folder = Directory.CreateTempSubdirectory("fangkong-upload-");
        var path = Path.Combine(folder.FullName, "upload.csv");
        try
        {
            long length;
            await using (var target = File.Create(path))
            {
                await request.Body.CopyToAsync(target, ct);
                length = target.Length;
            }
            if (length == 0)
            {
                return Problems.Invalid("body", "is empty: send the CSV file as the request body");
            }
            var head = new byte[4096];
            await using (var read = File.OpenRead(path))
            {
                var n = await read.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
                if (!UploadText.IsText(head.AsSpan(0, n)))
                {
                    return Problems.Invalid("body", "is not UTF-8 CSV text");
                }
            }
            var result = await import.HandleAsync(actor, new ImportFileCommand(fileKind, path, $"api-{kind}.csv", skipBad ?? false, Path.Combine(folder.FullName, "rejects.csv")), ct: ct);
            var response = new ImportResponse(kind.ToLowerInvariant(), result.RowsInFile, result.Accepted, result.Rejected, result.Written, result.Joined, result.Refused, result.BadRows,
                [.. result.Errors.Select(e => new RowProblem(e.Line, e.Column, e.Reason, e.Code))]);
            return result.Refused
                ? Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Refused", detail: $"{result.BadRows} of {result.RowsInFile} rows have problems; nothing was imported",
                    extensions: new Dictionary<string, object?> { ["errors"] = response.Errors, ["badRows"] = result.BadRows })
                : Results.Ok(response);
        }
        catch (ImportRefusedException e)
        {
            return Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Refused", detail: e.Message.Replace(path, "the request body", StringComparison.Ordinal));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
