namespace Fangkong.Testing;

public enum PoolingKind
{
    /// <summary>One person a tube (单采).</summary>
    Single,

    /// <summary>One tube a household (一户一管).</summary>
    Household,

    /// <summary>N people a tube (N合1 混采).</summary>
    Pooled,
}

/// <summary>How samples go into tubes: one person a tube, one household a tube, or N people a tube.</summary>
public readonly record struct PoolingMode(PoolingKind Kind, int Size)
{
    public static readonly PoolingMode Single = new(PoolingKind.Single, 1);
    public static readonly PoolingMode Household = new(PoolingKind.Household, 0);

    public static PoolingMode Pooled(int size) => size is 5 or 10 or 20
        ? new(PoolingKind.Pooled, size)
        : throw new ArgumentOutOfRangeException(nameof(size), size, "a pooled tube takes 5, 10 or 20 samples");

    /// <summary>The profile's code: <c>single</c>, <c>household</c>, <c>5-in-1</c>, <c>10-in-1</c>, <c>20-in-1</c>.</summary>
    public static PoolingMode Parse(string code) => code switch
    {
        "single" => Single,
        "household" => Household,
        "5-in-1" => Pooled(5),
        "10-in-1" => Pooled(10),
        "20-in-1" => Pooled(20),
        _ => throw new FormatException($"'{code}' is not a pooling mode (single, household, 5-in-1, 10-in-1, 20-in-1)"),
    };

    public string ToCode() => Kind switch
    {
        PoolingKind.Single => "single",
        PoolingKind.Household => "household",
        _ => $"{Size}-in-1",
    };

    public override string ToString() => ToCode();
}

/// <summary>Where and from whom a sample is taken, as far as pooling cares.</summary>
/// <param name="RiskLevel">The risk level of the area sampled in the profile's scheme (e.g. <c>sealed</c>, <c>high</c>), or null outside any risk area.</param>
public sealed record SamplingContext(bool AtIsolationSite, bool KeyGroup, string? RiskLevel);
