using Fangkong.Application.Imports;
using Fangkong.Application;
using Fangkong.Files.Imports;
using Fangkong.Files;
using Fangkong.Storage;
using Fangkong.Web.Access;
using Fangkong.Web.Audit;
using Fangkong.Web.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Fangkong.Web.Pages.Import;

/// <summary>
/// Upload one of SPEC 4.1's files. All-or-nothing unless the user asks to skip bad rows; the answer
/// lists each problem with its line and column. Uploads are limited in size and must be UTF-8 CSV text.
/// </summary>
[RequestSizeLimit(MaxBytes + 64 * 1024)]
[RequestFormLimits(MultipartBodyLengthLimit = MaxBytes + 64 * 1024)]
public sealed class IndexModel(Viewer viewer, Actor actor, ImportFile import, UiText text) : FangkongPage
{
    public const long MaxBytes = Fangkong.Web.Forms.UploadText.MaxBytes;
    public const int ErrorsShown = 500;

    public static readonly IReadOnlyList<FileKind> Kinds = Enum.GetValues<FileKind>();

    public ImportResult? Result { get; private set; }
    public string? Error { get; private set; }
    public string? FileName { get; private set; }

    public IActionResult OnGet() => viewer.Can(Permission.Import) ? Page() : Denied();

    public async Task<IActionResult> OnPostAsync(string? kind, IFormFile? file, bool skipBad, CancellationToken ct)
    {
        if (!viewer.Can(Permission.Import))
        {
            return Denied();
        }
        Error = await CheckAsync(kind, file);
        if (Error is not null)
        {
            Response.StatusCode = 400;
            return Page();
        }
        FileKind fileKind = Enum.Parse<FileKind>(kind!, ignoreCase: true);
        FileName = Path.GetFileName(file!.FileName);
        // The upload and any rejects file live in a folder only this process may read (mode 0700), removed when the import ends:
        // the page itself shows the rejected rows with their reasons.
        var folder = Directory.CreateTempSubdirectory("fangkong-upload-");
        var path = Path.Combine(folder.FullName, "upload.csv");
        try
        {
            await using (var target = System.IO.File.Create(path))
            {
                await file.CopyToAsync(target, ct);
            }
            // Only rows inside the user's jurisdiction are imported; the handler audits the import.
            Result = await import.HandleAsync(actor, new ImportFileCommand(fileKind, path, FileName, skipBad), ct: ct);
            if (Result.Refused)
            {
                Response.StatusCode = 422;
            }
        }
        catch (ImportRefusedException e)
        {
            Error = text.F("import.error.refused", text.ImportRefusal(e));
            Response.StatusCode = 422;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
        return Page();
    }

    /// <summary>Why the upload cannot be read, or null: a known kind, a non-empty file within the size limit, named .csv, and text (no NUL bytes, valid UTF-8) at its start.</summary>
    private async Task<string?> CheckAsync(string? kind, IFormFile? file)
    {
        if (kind is null || !FileColumns.TryParseKind(kind, out _))
        {
            return text["import.error.kind"];
        }
        if (file is null || file.Length == 0)
        {
            return text["import.error.noFile"];
        }
        if (file.Length > MaxBytes)
        {
            return text.F("import.error.tooLarge", MaxBytes / (1024 * 1024));
        }
        if (!string.Equals(Path.GetExtension(file.FileName), ".csv", StringComparison.OrdinalIgnoreCase))
        {
            return text["import.error.type"];
        }
        var head = new byte[4096];
        await using var stream = file.OpenReadStream();
        var n = await stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false);
        var span = head.AsSpan(0, n);
        if (!Fangkong.Web.Forms.UploadText.IsText(span))
        {
            return text["import.error.type"];
        }
        return null;
    }
}
