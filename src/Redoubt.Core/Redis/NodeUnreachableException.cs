namespace Redoubt.Core.Redis;

/// <summary>The node's connection is down right now; the command was not sent.</summary>
public sealed class NodeUnreachableException : Exception
{
    public NodeUnreachableException() { }
    public NodeUnreachableException(string address) : base($"{address} is not reachable") { }
    public NodeUnreachableException(string message, Exception innerException) : base(message, innerException) { }
}
