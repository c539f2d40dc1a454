namespace Fangkong.Testing;

/// <summary>A lab's result for a tube (核酸检测结果).</summary>
public enum TubeResult
{
    Negative,
    Positive,

    /// <summary>Neither negative nor positive (e.g. a single gene target, a high Ct): the tube's people are treated as a positive pool's until re-tested.</summary>
    Inconclusive,
}

public static class TubeResults
{
    public static string ToCode(this TubeResult r) => r switch
    {
        TubeResult.Negative => "negative",
        TubeResult.Positive => "positive",
        _ => "inconclusive",
    };

    public static bool TryParse(ReadOnlySpan<char> text, out TubeResult result)
    {
        var t = text.Trim();
        foreach (var r in (ReadOnlySpan<TubeResult>)[TubeResult.Negative, TubeResult.Positive, TubeResult.Inconclusive])
        {
            if (t.Equals(r.ToCode(), StringComparison.OrdinalIgnoreCase))
            {
                result = r;
                return true;
            }
        }
        result = default;
        return false;
    }

    public static TubeResult Parse(string code) => TryParse(code, out var r) ? r : throw new FormatException($"'{code}' is not a tube result (negative, positive, inconclusive)");
}

/// <summary>A tube whose result has just been stored, with its members.</summary>
public sealed record ResultedTube(int TubeId, string Key, long SampledAt, TubeResult Result, long TestedAt, IReadOnlyList<int> Members)
{
    /// <summary>More than one person's sample in the tube (混采); a household tube of one is a single tube.</summary>
    public bool Pooled => Members.Count > 1;
}

/// <summary>What new results ask for (混管阳性召回).</summary>
/// <param name="Hold">People to put under a temporary order (group <c>pool_positive</c>) unless they have an active one: every member of a positive or inconclusive pooled tube, and a single tube's positive person.</param>
/// <param name="Resample">Individual re-samplings to ask each person's community for: every member of a positive or inconclusive pooled tube, and an inconclusive single tube's person.</param>
/// <param name="Suspected">A single tube's positive person, who becomes a suspected case sampled at the tube's time.</param>
/// <param name="Recalled">The positive or inconclusive pooled tubes, whose recall the testing group follows.</param>
/// <param name="Cleared">A single tube's negative person: their temporary order ends if it was opened for an earlier tube.</param>
public sealed record RecallPlan(
    IReadOnlyList<(int Person, ResultedTube Tube)> Hold,
    IReadOnlyList<(int Person, ResultedTube Tube)> Resample,
    IReadOnlyList<(int Person, ResultedTube Tube)> Suspected,
    IReadOnlyList<ResultedTube> Recalled,
    IReadOnlyList<(int Person, ResultedTube Tube)> Cleared);

/// <summary>
/// The recall rules of lab results as a pure function (SPEC C5): a positive or inconclusive pooled tube
/// holds every member in place and asks for each one's individual re-sample; a positive single tube
/// makes its person a suspected case (held as well); an inconclusive single tube asks for a re-sample;
/// a negative single tube clears its person.
/// </summary>
public static class Recall
{
    public static RecallPlan Decide(IEnumerable<ResultedTube> tubes)
    {
        List<(int, ResultedTube)> hold = [], resample = [], suspected = [], cleared = [];
        List<ResultedTube> recalled = [];
        foreach (var t in tubes)
        {
            switch (t.Result, t.Pooled)
            {
                case (TubeResult.Positive or TubeResult.Inconclusive, true):
                    recalled.Add(t);
                    foreach (var p in t.Members)
                    {
                        hold.Add((p, t));
                        resample.Add((p, t));
                    }
                    break;
                case (TubeResult.Positive, false):
                    hold.AddRange(t.Members.Select(p => (p, t)));
                    suspected.AddRange(t.Members.Select(p => (p, t)));
                    break;
                case (TubeResult.Inconclusive, false):
                    resample.AddRange(t.Members.Select(p => (p, t)));
                    break;
                case (TubeResult.Negative, false):
                    cleared.AddRange(t.Members.Select(p => (p, t)));
                    break;
            }
        }
        return new RecallPlan(hold, resample, suspected, recalled, cleared);
    }
}
