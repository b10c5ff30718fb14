using k8s.Models;
using Redoubt.Core.Access;
using Redoubt.Core.Planning;

namespace Redoubt.Platforms.Kubernetes.Manifests;

/// <summary>
/// The Secret <c>redis-&lt;name&gt;-auth</c>: key <c>password</c> (the application's, as the reference platform has
/// it; absent when auth is off), the passwords of Redoubt's own users (<c>admin-password</c>,
/// <c>replication-password</c>, <c>sentinel-password</c>), the application password's last rotation
/// (<c>password-rotation</c>: the request carried out, and during a grace period the password it replaced), and the two config snippets derived from them (the ACL
/// users with their passwords hashed, and the replicas' and Sentinels' logins). It is the only place the passwords
/// live. The operator creates each password once, at random, and rewrites only the derived keys, so a password set
/// by hand is kept.
/// </summary>
public static class AuthSecret
{
    public static V1Secret Build(ResourcePlan plan, ObjectNames names, ResourceSecrets? secrets)
    {
        var secret = new V1Secret
        {
            ApiVersion = "v1",
            Kind = "Secret",
            Metadata = ObjectMetadata.Create(names.AuthSecret, plan.Namespace, Labels.Common(names), OwnerReferences.For(plan)),
            Type = "Opaque",
        };
        if (secrets is not null)
        {
            secret.StringData = DataFor(secrets);
        }

        return secret;
    }

    public static Dictionary<string, string> DataFor(ResourceSecrets secrets)
    {
        var data = new Dictionary<string, string>
        {
            [ConfigFiles.RedisAuthKey] = RedisConfigRenderer.RenderRedisAuth(secrets),
            [ConfigFiles.SentinelAuthKey] = RedisConfigRenderer.RenderSentinelAuth(secrets),
        };
        if (secrets.Application is { } application)
        {
            data[ConfigFiles.PasswordKey] = application;
            data[ConfigFiles.PasswordRotationKey] = RotationRecord.Write(new StoredApplicationPassword(application, secrets.RotationRequest, secrets.Retiring));
        }

        if (secrets.Redoubt is { } own)
        {
            data[ConfigFiles.AdminPasswordKey] = own.Admin;
            data[ConfigFiles.ReplicationPasswordKey] = own.Replication;
            data[ConfigFiles.SentinelPasswordKey] = own.Sentinel;
        }

        return data;
    }
}
