using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Fangkong.Policies;

/// <summary>
/// Loads policy profiles: the presets built into the product and, optionally, the <c>*.json</c>
/// files of a folder (a deployment's own or overriding profiles). Each file is checked against
/// <c>policy-profile.schema.json</c> and then for consistency; any failure is a
/// <see cref="PolicyLoadException"/> naming the file, the field (a JSON pointer) and the reason.
/// </summary>
public sealed class PolicyCatalog
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromText(ReadResource("policy-profile.schema.json")));

    private readonly Dictionary<string, PolicyProfile> _profiles;

    private PolicyCatalog(Dictionary<string, PolicyProfile> profiles) => _profiles = profiles;

    public IReadOnlyCollection<PolicyProfile> All => _profiles.Values.OrderBy(p => p.Id, StringComparer.Ordinal).ToList();

    /// <summary>The built-in presets, plus the profiles in <paramref name="folder"/> when given.</summary>
    public static PolicyCatalog Load(string? folder = null)
    {
        var profiles = new Dictionary<string, PolicyProfile>(StringComparer.Ordinal);
        foreach (var name in new[] { "cn-v8-2021.json", "cn-v9-2022.json" })
        {
            var p = Parse(ReadResource(name), "built-in " + name);
            profiles[p.Id] = p;
        }
        if (folder is not null)
        {
            foreach (var file in Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal))
            {
                if (Path.GetFileName(file).EndsWith(".schema.json", StringComparison.Ordinal))
                {
                    continue;
                }
                var p = Parse(File.ReadAllText(file), file);
                profiles[p.Id] = p;
            }
        }
        return new PolicyCatalog(profiles);
    }

    public PolicyProfile Get(string id) =>
        _profiles.TryGetValue(id, out var p)
            ? p
            : throw new PolicyLoadException($"Unknown policy profile '{id}'. Known: {string.Join(", ", _profiles.Keys.Order(StringComparer.Ordinal))}.");

    public static string RawText(PolicyProfile profile) =>
        profile.Origin.StartsWith("built-in ", StringComparison.Ordinal) ? ReadResource(profile.Origin["built-in ".Length..]) : File.ReadAllText(profile.Origin);

    /// <summary>Validates and reads one profile document.</summary>
    public static PolicyProfile Parse(string text, string origin)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text);
        }
        catch (JsonException e)
        {
            throw new PolicyLoadException($"{origin}: not valid JSON at line {e.LineNumber + 1}: {e.Message}");
        }
        using var doc = JsonDocument.Parse(text);
        var result = Schema.Value.Evaluate(doc.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (!result.IsValid)
        {
            var first = (result.Details ?? []).FirstOrDefault(d => d.Errors is { Count: > 0 });
            var field = first?.InstanceLocation.ToString() is { Length: > 0 } f ? f : "/";
            var reason = first?.Errors?.Values.FirstOrDefault() ?? "does not match the policy schema";
            throw new PolicyLoadException($"{origin}: field {field}: {reason}");
        }
        var profile = node.Deserialize<PolicyProfile>(Json)
            ?? throw new PolicyLoadException($"{origin}: empty document");
        CheckConsistency(profile, origin);
        return profile with { Origin = origin };
    }

    private static void CheckConsistency(PolicyProfile p, string origin)
    {
        void Plan(string name, IReadOnlyList<MeasureStep>? steps)
        {
            if (steps is null)
            {
                return;
            }
            for (var i = 0; i < steps.Count; i++)
            {
                var s = steps[i];
                var field = $"/measures/{name}/{i}/testDays";
                for (var k = 0; k < s.TestDays.Count; k++)
                {
                    if (s.TestDays[k] > s.Days)
                    {
                        throw new PolicyLoadException($"{origin}: field {field}/{k}: test day {s.TestDays[k]} is after the measure's last day {s.Days}");
                    }
                    if (k > 0 && s.TestDays[k] <= s.TestDays[k - 1])
                    {
                        throw new PolicyLoadException($"{origin}: field {field}/{k}: test days must be strictly increasing");
                    }
                }
            }
        }
        Plan("closeContact", p.Measures.CloseContact);
        Plan("secondaryContact", p.Measures.SecondaryContact);
        Plan("arrivalHighRisk", p.Measures.ArrivalHighRisk);
        Plan("arrivalMediumRisk", p.Measures.ArrivalMediumRisk);
        Plan("arrivalLowRiskAffectedCounty", p.Measures.ArrivalLowRiskAffectedCounty);
        Plan("gridContact", p.Measures.GridContact);
        Plan("poolPositive", p.Measures.PoolPositive);
        var escalation = p.Control.EscalateAfterHoursOverdue;
        if (escalation.City < escalation.County || escalation.Region < escalation.City)
        {
            throw new PolicyLoadException($"{origin}: field /control/escalateAfterHoursOverdue: the delays must not decrease from county to city to region");
        }
        for (var i = 0; i < p.RiskAreas.Lifting.Count; i++)
        {
            if (!p.RiskAreas.Levels.Contains(p.RiskAreas.Lifting[i].From))
            {
                throw new PolicyLoadException($"{origin}: field /riskAreas/lifting/{i}/from: '{p.RiskAreas.Lifting[i].From}' is not one of the levels");
            }
        }
        foreach (var level in p.Testing.Pooling.ByRiskLevel?.Keys ?? [])
        {
            if (!p.RiskAreas.Levels.Contains(level))
            {
                throw new PolicyLoadException($"{origin}: field /testing/pooling/byRiskLevel/{level}: '{level}' is not one of the risk levels ({string.Join(", ", p.RiskAreas.Levels)})");
            }
        }
    }

    private static string ReadResource(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("policies/" + name)
            ?? throw new InvalidOperationException($"Policy resource {name} is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
