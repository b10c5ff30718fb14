namespace Redoubt.Core.Redis;

/// <summary>The node could not be reached, or did not answer in time; the command may not have run.</summary>
public sealed class NodeUnreachableException : RedisAdminException
{
    public NodeUnreachableException() { }
    public NodeUnreachableException(string message) : base(message) { }
    public NodeUnreachableException(string message, Exception innerException) : base(message, innerException) { }
}
