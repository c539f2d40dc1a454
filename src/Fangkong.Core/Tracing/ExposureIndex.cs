namespace Fangkong.Tracing;

/// <summary>
/// The manual exposures by person, each on both sides, in the order given: one array cut into runs
/// (compressed rows over the id range), so that millions of exposures index in one pass without a list
/// per person. Ids spread too thinly for that (a range over 64 M) fall back to a dictionary.
/// </summary>
public sealed class ExposureIndex
{
    private const long MaxDenseRange = 64L * 1024 * 1024;
    private readonly int _min;
    private readonly int[]? _offsets;
    private readonly ManualExposure[] _runs = [];
    private readonly Dictionary<int, List<ManualExposure>>? _sparse;

    public ExposureIndex(IEnumerable<ManualExposure> exposures)
    {
        var all = exposures as IReadOnlyList<ManualExposure> ?? [.. exposures];
        if (all.Count == 0)
        {
            _offsets = [0];
            return;
        }
        int min = int.MaxValue, max = int.MinValue;
        foreach (var e in all)
        {
            min = Math.Min(min, Math.Min(e.A, e.B));
            max = Math.Max(max, Math.Max(e.A, e.B));
        }
        if ((long)max - min + 1 > MaxDenseRange)
        {
            _sparse = [];
            foreach (var e in all)
            {
                Add(_sparse, e.A, e);
                Add(_sparse, e.B, e);
            }
            return;
        }
        _min = min;
        var offsets = new int[max - min + 2];
        foreach (var e in all)
        {
            offsets[e.A - min + 1]++;
            offsets[e.B - min + 1]++;
        }
        for (var i = 1; i < offsets.Length; i++)
        {
            offsets[i] += offsets[i - 1];
        }
        var next = offsets[..^1];
        _runs = new ManualExposure[offsets[^1]];
        foreach (var e in all)
        {
            _runs[next[e.A - min]++] = e;
            _runs[next[e.B - min]++] = e;
        }
        _offsets = offsets;
    }

    /// <summary>The exposures <paramref name="person"/> is on either side of.</summary>
    public ReadOnlySpan<ManualExposure> Of(int person)
    {
        if (_sparse is not null)
        {
            return _sparse.TryGetValue(person, out var list) ? System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list) : [];
        }
        var i = (long)person - _min;
        return i < 0 || i >= _offsets!.Length - 1 ? [] : _runs.AsSpan(_offsets[i], _offsets[i + 1] - _offsets[i]);
    }

    private static void Add(Dictionary<int, List<ManualExposure>> map, int person, ManualExposure e)
    {
        if (!map.TryGetValue(person, out var list))
        {
            map[person] = list = [];
        }
        list.Add(e);
    }
}
