namespace Fangkong.Time;

/// <summary>A clock that stands still at one instant: a simulation's time, or an entry made on paper (--now).</summary>
public sealed class FixedClock(DateTimeOffset at) : TimeProvider
{
    public DateTimeOffset At { get; } = at;

    public override DateTimeOffset GetUtcNow() => At;
}
