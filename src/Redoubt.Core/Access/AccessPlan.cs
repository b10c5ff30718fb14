using Redoubt.Core.Platform;

namespace Redoubt.Core.Access;

/// <summary>
/// The users every node must have and how replicas and Sentinels must log in, with passwords only as hashes: what the
/// healer compares observations with. Null (see <see cref="From"/>) where the platform keeps one password.
/// </summary>
public sealed record AccessPlan(IReadOnlyList<AclUser> RedisUsers, IReadOnlyList<AclUser> SentinelUsers, string ReplicationPasswordHash, string SentinelPasswordHash)
{
    public static AccessPlan? From(ResourceSecrets secrets) =>
        secrets.Redoubt is { } own
            ? new AccessPlan(AclUsers.For(NodeKind.Redis, secrets), AclUsers.For(NodeKind.Sentinel, secrets), PasswordHash.Of(own.Replication), PasswordHash.Of(own.Sentinel))
            : null;
}
