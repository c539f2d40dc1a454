namespace Fangkong.Control;

/// <summary>An action refused by the rules (a step out of order, a full room, an early release…); nothing was changed.</summary>
public class RefusedException(string message) : Exception(message);

/// <summary>Someone else changed the record first (optimistic concurrency); reload and act again. Nothing was changed.</summary>
public sealed class ConcurrencyException(string message) : RefusedException(message);
