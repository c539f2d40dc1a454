using Microsoft.AspNetCore.Http;

namespace Fangkong.Web.Text;

/// <summary>The texts in the current request's language (cookie <c>fk_lang</c>, else Simplified Chinese).</summary>
public sealed class UiText(Texts texts, IHttpContextAccessor http)
{
    public const string Cookie = "fk_lang";

    public string Language { get; } = Texts.Normalize(http.HttpContext?.Request.Cookies[Cookie]);

    public bool IsEnglish => Language == Texts.English;

    public string this[string key] => texts.Get(Language, key);

    public string F(string key, params object?[] args) => texts.Format(Language, key, args);


    /// <summary>A step's detail in the loop log (管控日志) in this language; text someone typed stays as typed.</summary>
    public string Log(string? stored) => texts.Render(Language, Fangkong.Text.LoopLog.Read(stored));

    /// <summary>A phrase the system wrote, in this language.</summary>
    public string Render(Fangkong.Text.Phrase phrase) => texts.Render(Language, phrase);

    /// <summary>Who did something: the system's own actors by their role in this language, users by name.</summary>
    public string Actor(string name) => texts.Actor(Language, name);

    /// <summary>What an audit entry records, in this language; the code itself for one without a text.</summary>
    public string AuditAction(string code) => texts.AuditAction(Language, code);

    /// <summary>An audit entry's detail in this language (what the system wrote); data stays as it is.</summary>
    public string AuditDetail(string? stored) => texts.AuditDetail(Language, stored);

    /// <summary>A task's title in this language.</summary>
    public string Title(Fangkong.Tasks.TaskTitle title) => texts.Title(Language, title);

    /// <summary>An import row's reason in this language (<c>row.{code}</c>), else the reason as the report file has it.</summary>
    public string RowReason(Fangkong.Files.Imports.RowError e) => Coded("row.", e.Code, e.Args, e.Reason);

    /// <summary>Why a file is refused as a whole, in this language (<c>importRefusal.{code}</c>), never with the server's path of the upload.</summary>
    public string ImportRefusal(Fangkong.Files.Imports.ImportRefusedException e) => Coded("importRefusal.", e.Code, e.Args, this["importRefusal.unreadable"]);

    /// <summary>
    /// What a page says when a use case refused: a release with each unmet criterion, a change made
    /// meanwhile by someone else, or the refusal's own reason.
    /// </summary>
    public string Refused(Fangkong.Control.RefusedException e) => e switch
    {
        Fangkong.Control.ReleaseRefusedException r => F("control.releaseRefused", string.Join(this["common.semicolon"], r.Unmet.Select(u => F("release.unmet." + u.Code, [.. u.Args])))),
        Fangkong.Control.ConcurrencyException => this["common.changedMeanwhile"],
        _ => F("control.refused", Refusal(e)),
    };

    /// <summary>A refusal's reason in this language (<c>refusal.{code}</c>), else its message.</summary>
    public string Refusal(Fangkong.Control.RefusedException e) => Coded("refusal.", e.Code, e.Args, e.Message);

    private string Coded(string prefix, string? code, IReadOnlyList<object?> args, string fallback) =>
        code is not null && texts.Has(Language, prefix + code) ? F(prefix + code, [.. args]) : fallback;
}
