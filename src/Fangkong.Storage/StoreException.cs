namespace Fangkong.Storage;

/// <summary>The store cannot be opened or used; the message says what to do, for one line of output.</summary>
public sealed class StoreException(string message, Exception? inner = null) : Exception(message, inner);
