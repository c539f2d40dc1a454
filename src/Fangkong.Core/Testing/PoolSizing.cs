namespace Fangkong.Testing;

/// <summary>A pool size and the tests it costs per person sampled, on average.</summary>
public readonly record struct PoolChoice(int PoolSize, double TestsPerPerson);

/// <summary>
/// Dorfman's two-stage pooled testing (1943): k samples go into one tube; a positive tube has each of
/// its k people tested again alone. With independent infections at prevalence p the expected number of
/// tests per person is E(k, p) = 1/k + 1 − (1 − p)^k for k ≥ 2, and 1 when everyone is tested alone.
/// </summary>
public static class PoolSizing
{
    /// <summary>The smallest prevalence <see cref="Best"/> answers for (its pools stay below three million).</summary>
    public const double Smallest = 1e-12;

    /// <summary>E(k, p): the tests per person of pools of <paramref name="k"/> at prevalence <paramref name="p"/> (k = 1: testing alone).</summary>
    public static double TestsPerPerson(int k, double p)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        Check(p);
        // 1 − (1 − p)^k as −expm1(k·log(1 − p)): exact to the last digits even when p is tiny.
        return k == 1 ? 1.0 : 1.0 / k - double.ExpM1(k * double.LogP1(-p));
    }

    /// <summary>
    /// The pool size k ≥ 2 that minimises E(k, p) (the smallest of equals), or 1 when no pool beats testing
    /// everyone alone. E(k, p) falls to one minimum and rises after it, and the minimum lies below
    /// 1/√p + 1, so the search stops a safe margin past that bound.
    /// </summary>
    public static PoolChoice Best(double p)
    {
        Check(p);
        if (p < Smallest)
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, $"below {Smallest} (one in a trillion) there is no useful best size: the larger the pool, the fewer the tests");
        }
        var last = (int)Math.Ceiling(3 / Math.Sqrt(p)) + 10;
        return Cheapest(Enumerable.Range(2, last - 1), p);
    }

    /// <summary>Of the pool sizes a profile allows (e.g. 5, 10, 20; 1 always allowed), the one with the fewest tests per person at <paramref name="p"/>.</summary>
    public static PoolChoice BestOf(IEnumerable<int> allowed, double p)
    {
        Check(p);
        return Cheapest(allowed.Where(k => k >= 2).Distinct().Order(), p);
    }

    /// <summary>Of the sizes ≥ 2, in increasing order, the one with the fewest tests per person (the smallest of equals), or 1 when none beats testing alone.</summary>
    private static PoolChoice Cheapest(IEnumerable<int> sizes, double p)
    {
        var best = new PoolChoice(1, 1.0);
        foreach (var k in sizes)
        {
            var e = TestsPerPerson(k, p);
            if (e < best.TestsPerPerson)
            {
                best = new PoolChoice(k, e);
            }
        }
        return best;
    }

    private static void Check(double p)
    {
        if (double.IsNaN(p) || p < 0 || p > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "a prevalence is a proportion between 0 and 1");
        }
    }
}
