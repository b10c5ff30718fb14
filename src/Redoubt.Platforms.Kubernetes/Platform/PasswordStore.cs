using System.Net;
using System.Text;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Redoubt.Core.Access;
using Redoubt.Core.Planning;
using Redoubt.Core.Platform;
using Redoubt.Platforms.Kubernetes.Manifests;

namespace Redoubt.Platforms.Kubernetes.Platform;

/// <summary>
/// The auth Secret's passwords: each created once (<see cref="Passwords"/>), read afterwards, never replaced. The
/// derived config snippets are rewritten when they no longer match, so a password changed by hand in the Secret
/// reaches Redis and the Sentinels at once (the healer sets it at run time) and in their files at their next start.
/// The application password is the exception: a rotation (<see cref="PasswordRotation"/>, asked for by the resource's
/// annotation) replaces it, and the Secret keeps the password it replaced, and until when that one works, under
/// <see cref="ConfigFiles.PasswordRotationKey"/>; one patch writes them all.
/// </summary>
public sealed class PasswordStore(IKubernetes client, TimeProvider time)
{
    public async Task<ResourceSecrets> EnsureAsync(ResourcePlan plan, ObjectNames names, CancellationToken ct)
    {
        var ns = plan.Namespace;
        var secret = await client.ReadSecretOrNullAsync(ns, names.AuthSecret, ct);
        if (secret is null)
        {
            var fresh = plan.Spec.AuthEnabled ? PasswordRotation.Created(Passwords.Generate(), plan.PasswordRotation) : null;
            var created = Secrets(fresh, new RedoubtPasswords(Passwords.Generate(), Passwords.Generate(), Passwords.Generate()));
            try
            {
                await client.CoreV1.CreateNamespacedSecretAsync(AuthSecret.Build(plan, names, created), ns, cancellationToken: ct);
                return created;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
            {
                // Created by someone else since the read: theirs wins.
                secret = await client.CoreV1.ReadNamespacedSecretAsync(names.AuthSecret, ns, cancellationToken: ct);
            }
        }

        string Kept(string key) => Read(secret, key) is { Length: > 0 } stored ? stored : Passwords.Generate();
        var stored = plan.Spec.AuthEnabled ? RotationRecord.Read(Kept(ConfigFiles.PasswordKey), Read(secret, ConfigFiles.PasswordRotationKey)) : null;
        var application = stored is null ? null : PasswordRotation.Next(stored, plan.PasswordRotation, time.GetUtcNow(), Passwords.Generate);
        var current = Secrets(application, new RedoubtPasswords(Kept(ConfigFiles.AdminPasswordKey), Kept(ConfigFiles.ReplicationPasswordKey), Kept(ConfigFiles.SentinelPasswordKey)));
        var wanted = AuthSecret.DataFor(current);
        if (wanted.Any(pair => Read(secret, pair.Key) != pair.Value))
        {
            var patch = new V1Secret { StringData = wanted };
            await client.CoreV1.PatchNamespacedSecretAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch), names.AuthSecret, ns, cancellationToken: ct);
        }

        return current;
    }

    private static ResourceSecrets Secrets(StoredApplicationPassword? application, RedoubtPasswords own) =>
        new(application?.Password, own) { Retiring = application?.Retiring, RotationRequest = application?.Handled };

    private static string? Read(V1Secret secret, string key)
    {
        if (secret.Data?.TryGetValue(key, out var bytes) == true)
        {
            return Encoding.UTF8.GetString(bytes);
        }

        return secret.StringData.Get(key);
    }
}
