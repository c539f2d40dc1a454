using System.Text.Encodings.Web;
using System.Text.Json;

namespace Fangkong.People;

/// <summary>
/// The detail of an entry of a person's change history: a JSON object of field → value (or field →
/// [before, after] for a change), written with its characters as they are, dates as ISO dates. Read back
/// as field and value pairs for a reader, the field named by its label in their language; a detail of an
/// older store that is not such an object is one pair without a field.
/// </summary>
public static class PersonHistory
{
    public static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A detail of fields with their values (empty values left out).</summary>
    public static string Detail(params (string Field, string? Value)[] fields) =>
        JsonSerializer.Serialize(fields.Where(f => f.Value is not null).ToDictionary(f => f.Field, f => f.Value, StringComparer.Ordinal), Json);

    /// <summary>The detail as pairs of field and value (a change as <c>before → after</c>).</summary>
    public static IReadOnlyList<(string Field, string Value)> Fields(string detail)
    {
        try
        {
            using var doc = JsonDocument.Parse(detail);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                return [("", detail)];
            }
            static string Show(JsonElement e) => e.ValueKind switch
            {
                JsonValueKind.Null => "—",
                JsonValueKind.Array => string.Join(" → ", e.EnumerateArray().Select(Show)),
                JsonValueKind.String => e.GetString() ?? "—",
                _ => e.ToString(),
            };
            return doc.RootElement.EnumerateObject().Where(p => p.Value.ValueKind != JsonValueKind.Null).Select(p => (p.Name, Show(p.Value))).ToList();
        }
        catch (JsonException)
        {
            return [("", detail)];
        }
    }
}
