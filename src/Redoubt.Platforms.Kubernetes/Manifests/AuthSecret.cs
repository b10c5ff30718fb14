using k8s.Models;
using Redoubt.Core.Planning;

namespace Redoubt.Platforms.Kubernetes.Manifests;

/// <summary>
/// The Secret <c>redis-&lt;name&gt;-auth</c>: key <c>password</c> as the reference platform has it, plus the two
/// config snippets derived from it. It is the only place the password lives. The operator creates it once with a
/// random password and rewrites only the derived keys, so a password set by hand is kept.
/// </summary>
public static class AuthSecret
{
    public static V1Secret Build(ResourcePlan plan, ObjectNames names, string? password)
    {
        var secret = new V1Secret
        {
            ApiVersion = "v1",
            Kind = "Secret",
            Metadata = ObjectMetadata.Create(names.AuthSecret, plan.Namespace, Labels.Common(names), OwnerReferences.For(plan)),
            Type = "Opaque",
        };
        if (password is not null)
        {
            secret.StringData = DataFor(password);
        }

        return secret;
    }

    public static Dictionary<string, string> DataFor(string password) => new()
    {
        [ConfigFiles.PasswordKey] = password,
        [ConfigFiles.RedisAuthKey] = ConfigFiles.RedisAuthSnippet(password),
        [ConfigFiles.SentinelAuthKey] = ConfigFiles.SentinelAuthSnippet(password),
    };
}
