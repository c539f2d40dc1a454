using System.Numerics;

namespace Fangkong.Tracing;

/// <summary>Binary searches in sorted spans (duplicates allowed).</summary>
internal static class Sorted
{
    /// <summary>The first position holding a value not below <paramref name="key"/> (the length when none).</summary>
    public static int LowerBound<T>(ReadOnlySpan<T> values, T key) where T : INumber<T>
    {
        var (lo, hi) = (0, values.Length);
        while (lo < hi)
        {
            var mid = (int)((uint)(lo + hi) >> 1);
            if (values[mid] < key)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }

    /// <summary>The first position holding a value above <paramref name="key"/> (the length when none).</summary>
    public static int UpperBound<T>(ReadOnlySpan<T> values, T key) where T : INumber<T>
    {
        var (lo, hi) = (0, values.Length);
        while (lo < hi)
        {
            var mid = (int)((uint)(lo + hi) >> 1);
            if (values[mid] <= key)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }
}
