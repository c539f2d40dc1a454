namespace Fangkong.Time;

/// <summary>A clock moved by hand: a simulation advances it step by step.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset At { get; private set; } = start;

    public override DateTimeOffset GetUtcNow() => At;

    /// <summary>Moves the clock to <paramref name="to"/>; a clock never runs backwards.</summary>
    public void MoveTo(DateTimeOffset to)
    {
        if (to > At)
        {
            At = to;
        }
    }
}
