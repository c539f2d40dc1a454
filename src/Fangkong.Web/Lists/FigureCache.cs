using Microsoft.Extensions.Caching.Memory;

namespace Fangkong.Web.Lists;

/// <summary>
/// Aggregate figures (the dashboard, the loop at a glance) computed at most every
/// <see cref="Freshness"/> per jurisdiction: a wall screen and fifty desks asking at once cost one
/// query. Lists of people are never cached.
/// </summary>
public sealed class FigureCache(IMemoryCache cache)
{
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(10);

    public async Task<T> GetAsync<T>(string kind, string prefix, Func<Task<T>> load)
    {
        var key = $"figures:{kind}:{prefix}";
        if (cache.TryGetValue(key, out Lazy<Task<T>>? pending) && pending is not null)
        {
            return await pending.Value;
        }
        // One load per key at a time: callers arriving meanwhile await the same task.
        pending = cache.GetOrCreate(key, e =>
        {
            e.AbsoluteExpirationRelativeToNow = Freshness;
            return new Lazy<Task<T>>(load);
        })!;
        try
        {
            return await pending.Value;
        }
        catch
        {
            cache.Remove(key);
            throw;
        }
    }
}
