namespace Redoubt.Platforms.Kubernetes.Platform;

/// <summary>A spec field that cannot change after creation was changed; the message names it and says what to do.</summary>
public sealed class ImmutableFieldException(string message) : InvalidOperationException(message);
