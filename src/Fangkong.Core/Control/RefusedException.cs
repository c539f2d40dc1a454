namespace Fangkong.Control;

/// <summary>
/// An action refused by the rules (a step out of order, a full room, an early release…); nothing was
/// changed. The message is for the command line and the log; <see cref="Code"/> and <see cref="Args"/>
/// let a screen say the same in its own language (UI text <c>refusal.{code}</c>).
/// </summary>
public class RefusedException(string message, string? code = null, params object?[] args) : Exception(message)
{
    /// <summary>A stable name of the reason, when it has one.</summary>
    public string? Code { get; } = code;

    /// <summary>The values the reason names (a person, a room, an order number…), in the order the texts use them.</summary>
    public IReadOnlyList<object?> Args { get; } = args;
}

/// <summary>Someone else changed the record first (optimistic concurrency); reload and act again. Nothing was changed.</summary>
public sealed class ConcurrencyException(string message) : RefusedException(message);
