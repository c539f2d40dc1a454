namespace Fangkong.Tests.Tracing;

/// <summary>
/// SPEC 4.2 written out as plainly as possible, independent of the engine: every pair of
/// check-ins is compared, no index, no clever ordering. Times are Unix seconds; people and
/// venues are their keys. For each contact it returns every qualifying overlap that ties for
/// the earliest start, since the spec names the earliest exposure but no tie-break.
/// </summary>
internal static class TracingOracle
{
    public sealed record Stay(string Person, string Venue, long In, long Out);

    public sealed record Contact(string Person, string Tier, string Index, string? Via, string? Venue, long Start, long End);

    public sealed record CaseInput(string Person, long WindowStart, long WindowEnd);

    public static Dictionary<string, List<Contact>> Trace(
        IReadOnlyList<CaseInput> cases, IReadOnlyList<Stay> stays, IReadOnlyList<(string A, string B, long Start, long End)> exposures, long minimum, long asOf)
    {
        var isCase = cases.Select(c => c.Person).ToHashSet(StringComparer.Ordinal);
        var close = new Dictionary<string, List<Contact>>(StringComparer.Ordinal);
        foreach (var c in cases)
        {
            foreach (var found in ExposedTo(c.Person, c.WindowStart, c.WindowEnd, stays, exposures, minimum))
            {
                if (!isCase.Contains(found.Other))
                {
                    Keep(close, new Contact(found.Other, "close", c.Person, null, found.Venue, found.Start, found.End));
                }
            }
        }
        var secondary = new Dictionary<string, List<Contact>>(StringComparer.Ordinal);
        foreach (var (k, best) in close)
        {
            var e = best[0].Start;
            foreach (var found in ExposedTo(k, e, asOf, stays, exposures, minimum))
            {
                if (!isCase.Contains(found.Other) && !close.ContainsKey(found.Other))
                {
                    // The index of a secondary contact is the index of the close contact it came through.
                    foreach (var index in best.Select(b => b.Index).Distinct())
                    {
                        Keep(secondary, new Contact(found.Other, "secondary", index, k, found.Venue, found.Start, found.End));
                    }
                }
            }
        }
        return close.Concat(secondary).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
    }

    /// <summary>
    /// Grid co-presence (时空伴随), as issue text and SPEC put it: a person who is not a case and not in
    /// <paramref name="excluded"/> (the close and secondary contacts), whose stay in a cell overlaps a
    /// case's stay in the same cell, clipped to the case's window, by more than <paramref name="minimum"/>
    /// seconds. Every pair compared; each contact with every overlap tying for the earliest start.
    /// </summary>
    public static Dictionary<string, List<Contact>> Grid(IReadOnlyList<CaseInput> cases, IReadOnlyList<Stay> cellStays, IReadOnlySet<string> excluded, long minimum)
    {
        var isCase = cases.Select(c => c.Person).ToHashSet(StringComparer.Ordinal);
        var found = new Dictionary<string, List<Contact>>(StringComparer.Ordinal);
        foreach (var c in cases)
        {
            foreach (var mine in cellStays.Where(s => s.Person == c.Person))
            {
                var a = Math.Max(mine.In, c.WindowStart);
                var b = Math.Min(mine.Out, c.WindowEnd);
                foreach (var other in cellStays.Where(s => s.Venue == mine.Venue && s.Person != c.Person))
                {
                    var start = Math.Max(a, other.In);
                    var end = Math.Min(b, other.Out);
                    if (end - start > minimum && !isCase.Contains(other.Person) && !excluded.Contains(other.Person))
                    {
                        Keep(found, new Contact(other.Person, "grid", c.Person, null, mine.Venue, start, end));
                    }
                }
            }
        }
        return found;
    }

    private static IEnumerable<(string Other, string? Venue, long Start, long End)> ExposedTo(
        string source, long from, long to, IReadOnlyList<Stay> stays, IReadOnlyList<(string A, string B, long Start, long End)> exposures, long minimum)
    {
        foreach (var mine in stays.Where(s => s.Person == source))
        {
            var a = Math.Max(mine.In, from);
            var b = Math.Min(mine.Out, to);
            foreach (var other in stays.Where(s => s.Venue == mine.Venue && s.Person != source))
            {
                var start = Math.Max(a, other.In);
                var end = Math.Min(b, other.Out);
                if (end - start >= minimum)
                {
                    yield return (other.Person, mine.Venue, start, end);
                }
            }
        }
        foreach (var x in exposures.Where(x => x.A == source || x.B == source))
        {
            var start = Math.Max(x.Start, from);
            var end = Math.Min(x.End, to);
            if (end > start)
            {
                yield return (x.A == source ? x.B : x.A, null, start, end);
            }
        }
    }

    private static void Keep(Dictionary<string, List<Contact>> found, Contact c)
    {
        if (!found.TryGetValue(c.Person, out var list) || c.Start < list[0].Start)
        {
            found[c.Person] = [c];
        }
        else if (c.Start == list[0].Start)
        {
            list.Add(c);
        }
    }
}
