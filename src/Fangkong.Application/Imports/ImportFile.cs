using Fangkong.Application.Access;
using Fangkong.Application.Audit;
using Fangkong.Files.Imports;
using Fangkong.Files;
using Fangkong.Storage;
using Fangkong.Text;

namespace Fangkong.Application.Imports;

/// <summary>A file to import: its kind, where it is on disk, the name the user gave it, and whether to skip bad rows.</summary>
public sealed record ImportFileCommand(FileKind Kind, string Path, string FileName, bool SkipBad = false, string? RejectsPath = null);

/// <summary>
/// Imports a file for the actor: all-or-nothing unless bad rows are skipped, and only rows about people,
/// venues and divisions inside the actor's jurisdiction (属地) — a row about anyone else is a bad row that
/// names the column and says it lies outside, without saying more. Audited as <c>import</c> (with the
/// figures) or <c>import.refused</c>.
/// </summary>
public sealed class ImportFile(Database db, AuditSink audit, Policies.StorePolicy policies, Tracing.CaseTracing tracing)
{
    public async Task<ImportResult> HandleAsync(Actor actor, ImportFileCommand command, IProgress<ImportProgress>? progress = null, CancellationToken ct = default)
    {
        actor.Require(Permission.Import);
        var target = $"file:{command.Kind.ToString().ToLowerInvariant()}";
        try
        {
            var policy = await policies.CurrentAsync(ct);
            var result = await ImportRunner.RunAsync(db, command.Kind, command.Path, new ImportOptions(command.SkipBad, command.RejectsPath, actor.Within, policy, actor.Name), progress, ct);
            await audit.RecordAsync(actor, "import", target, AuditDetail.Write(result.Refused ? "importRefusedRows" : "import",
                command.FileName, Phrase.Number(result.RowsInFile), Phrase.Number(result.Written), Phrase.Number(result.Refused ? result.BadRows : result.Rejected)));
            if (result.Recall is { Suspected: > 0 })
            {
                await tracing.AfterChangeAsync(actor, policy, ct);   // at once on the command line, behind the answer in the server
            }
            return result;
        }
        catch (ImportRefusedException e)
        {
            await audit.RecordAsync(actor, "import.refused", target,
                AuditDetail.Write("importRefused", command.FileName, AuditDetail.Coded("importRefusal." + e.Code, e.Args, e.Message)));
            throw;
        }
    }
}
