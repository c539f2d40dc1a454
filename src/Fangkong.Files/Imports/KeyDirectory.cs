namespace Fangkong.Files.Imports;

/// <summary>
/// Source keys (person_id, venue_id) to internal ids, looked up by span without allocating,
/// because a check-in file resolves two keys on each of tens of millions of rows.
/// </summary>
public sealed class KeyDirectory
{
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public KeyDirectory() => _lookup = _ids.GetAlternateLookup<ReadOnlySpan<char>>();

    public int Count => _ids.Count;

    public void Set(string key, int id) => _ids[key] = id;

    public bool TryGet(ReadOnlySpan<char> key, out int id) => _lookup.TryGetValue(key, out id);

    public bool TryGet(string key, out int id) => _ids.TryGetValue(key, out id);
}
