namespace Redoubt.Core.ControlPlane;

/// <summary>
/// This instance of the control plane may not act: another one leads (the operator's Lease). Asked of the leader, or
/// again once this instance leads, the same request may succeed; the message says which instance leads.
/// </summary>
public sealed class NotLeaderException : RedoubtException
{
    public NotLeaderException()
    {
    }

    public NotLeaderException(string message) : base(message)
    {
    }

    public NotLeaderException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
