namespace Fangkong.Web.Forms;

/// <summary>A form or request field that is missing or wrong: the field's name and the reason, for a message that names both.</summary>
public sealed class FieldException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}
