namespace Redoubt.Core.Redis;

/// <summary>A command to a node did not succeed: the node did not answer, or answered with an error.</summary>
public class RedisAdminException : Exception
{
    public RedisAdminException() { }
    public RedisAdminException(string message) : base(message) { }
    public RedisAdminException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>The node answered with an error reply (for example "INPROG Failover already in progress").</summary>
public sealed class RedisReplyException : RedisAdminException
{
    public RedisReplyException() { }
    public RedisReplyException(string message) : base(message) { }
    public RedisReplyException(string message, Exception innerException) : base(message, innerException) { }
}
