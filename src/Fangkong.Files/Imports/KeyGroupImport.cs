using System.Globalization;
using System.Text.RegularExpressions;
using Fangkong.Files.Csv;
using Fangkong.Policies;
using Fangkong.Storage.Testing;

namespace Fangkong.Files.Imports;

/// <summary>
/// Imports the members of key groups (重点人群: person_id, group, frequency_days): a group is a code
/// (airport, cold_chain…); without frequency_days the profile's frequency for the group applies, and a
/// group the profile does not know needs one. One person twice in a group in one file is a bad row;
/// importing again updates the frequency.
/// </summary>
internal sealed partial class KeyGroupImport(KeyGroupRules? rules) : FileImport<KeyGroupMember>
{
    public const int MaxFrequencyDays = 60;

    private KeyDirectory _people = new();
    private ImportContext? _context;
    private readonly Dictionary<(int, string), long> _seen = [];

    public override async Task PrepareAsync(ImportContext context, CsvSource source, CancellationToken ct)
    {
        _context = context;
        _people = await context.PersonKeysAsync(ct);
    }

    public override KeyGroupMember? Parse(CsvSource row, List<RowError> errors)
    {
        var line = row.Line + 1;
        var before = errors.Count;
        var person = ResolvePerson(row.Span("person_id"), "person_id", line, _people, errors, _context);
        var group = row.Text("group");
        if (group is null)
        {
            errors.Add(new RowError(line, "group", "is empty") { Code = "empty" });
        }
        else if (!GroupCode().IsMatch(group))
        {
            errors.Add(new RowError(line, "group", $"'{group}' is not a group code (lower-case letters, digits and _, such as cold_chain)") { Code = "groupCode", Args = [group] });
        }
        int? days = null;
        if (row.Text("frequency_days") is { } text)
        {
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var d) && d is >= 1 and <= MaxFrequencyDays)
            {
                days = d;
            }
            else
            {
                errors.Add(new RowError(line, "frequency_days", $"'{text}' is not a whole number of days from 1 to {MaxFrequencyDays}") { Code = "frequencyDays", Args = [text, MaxFrequencyDays] });
            }
        }
        if (errors.Count > before)
        {
            return null;
        }
        if (days is null)
        {
            if (rules?.FrequencyDays.TryGetValue(group!, out var byProfile) == true)
            {
                days = byProfile;
            }
            else
            {
                errors.Add(new RowError(line, "frequency_days", $"is empty, and the profile has no frequency for the group '{group}'") { Code = "frequencyNeeded", Args = [group] });
                return null;
            }
        }
        if (_seen.TryGetValue((person, group!), out var first))
        {
            errors.Add(new RowError(line, "person_id", $"is already in the group {group} on line {first}") { Code = "twiceInGroup", Args = [group, first] });
            return null;
        }
        _seen[(person, group!)] = line;
        return new KeyGroupMember(person, group!, days.Value);
    }

    public override Task<long> WriteAsync(ImportContext context, IReadOnlyList<KeyGroupMember> rows, string fileName, string fingerprint, long rowsInFile, long rejected, CancellationToken ct) =>
        InSessionAsync(context, s => KeyGroupRepository.UpsertAsync(s, rows, ct), "keygroups", fileName, fingerprint, rowsInFile, rejected, ct);

    [GeneratedRegex("^[a-z][a-z0-9_]{0,31}$")]
    private static partial Regex GroupCode();
}
