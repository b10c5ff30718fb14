namespace Redoubt.Core.Platform;

public enum NodeKind
{
    Redis,
    Sentinel,
}
