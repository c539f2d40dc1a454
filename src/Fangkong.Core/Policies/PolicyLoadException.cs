namespace Fangkong.Policies;

/// <summary>A policy file failed validation; the message names the file, the field and the reason.</summary>
public sealed class PolicyLoadException(string message) : Exception(message);
