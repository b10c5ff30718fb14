using Redoubt.Core.Planning;
using Redoubt.Model;

namespace Redoubt.Platforms.Local;

/// <summary>
/// What only the local platform refuses, reported like any other validation error and checked before anything
/// changes: an external endpoint, a Redis version other than the installed one, a change of authEnabled or of
/// tls.enabled on a running resource, more zones than loopback addresses.
/// </summary>
internal sealed class LocalAdmission(string redisVersion, string? externalAddress)
{
    public IEnumerable<ValidationError> Check(RedisResource resource, RedisResource? stored, string fileName)
    {
        var external = resource.Spec.External == true;
        if (external && externalAddress is null)
        {
            yield return new ValidationError(fileName, "spec.external", "this machine has no address other than loopback to serve the master endpoint on; allowed here: false, or set REDOUBT_EXTERNAL_ADDRESS to one of the machine's addresses and restart the control plane");
        }

        if (external && resource.Spec.AuthEnabled == false)
        {
            // The endpoint on the machine's own address is reachable from the network: never without a password.
            yield return new ValidationError(fileName, "spec.external", "true needs authEnabled: true (the master endpoint would be open to the network without a password); allowed here: false, or remove authEnabled: false");
        }

        if (stored is not null && (stored.Spec.External == true) != external)
        {
            // The master endpoint's address was chosen with the resource: loopback, or the machine's own address.
            var now = stored.Spec.External == true ? "true" : "false";
            yield return new ValidationError(fileName, "spec.external", $"cannot change on a running resource; allowed here: {now} (its current value). To change it, delete the resource (`redoubt delete {resource.Metadata.Name}`) and apply it again");
        }

        if (resource.Spec.Version is { } wanted && !redisVersion.StartsWith(wanted[1..] + ".", StringComparison.Ordinal))
        {
            yield return new ValidationError(fileName, "spec.version", $"{wanted} was asked for but the installed redis-server is {redisVersion}; remove the field to use the installed version, set v{redisVersion.Split('.')[0]}, or install Redis {wanted[1..]}");
        }

        var plan = Planner.Plan(resource, defaults: PlatformDefaults.Local);
        if (stored is not null && Planner.Plan(stored, defaults: PlatformDefaults.Local).Spec.AuthEnabled is var before && before != plan.Spec.AuthEnabled)
        {
            // Mid-change, nodes with a password and nodes without cannot replicate from each other, and the Sentinels
            // and the control plane would hold the wrong credentials for half of them.
            var now = before ? "true" : "false";
            yield return new ValidationError(fileName, "spec.authEnabled", $"cannot change on a running resource; allowed here: {now} (its current value). To change it, delete the resource (`redoubt delete {resource.Metadata.Name}`) and apply it again");
        }

        if (stored is not null && Planner.Plan(stored, defaults: PlatformDefaults.Local).Spec.TlsEnabled is var hadTls && hadTls != plan.Spec.TlsEnabled)
        {
            // A node speaks TLS or plain on its port, never both: mid-change, replicas could not reach their master, the
            // Sentinels half their nodes, and clients would be cut off until they changed their connection string.
            var now = hadTls ? "true" : "false";
            yield return new ValidationError(fileName, "spec.tls.enabled", $"cannot change on a running resource; allowed here: {now} (its current value). To change it, create a new resource with the other value and move the data to it, or delete this one (`redoubt delete {resource.Metadata.Name}`) and apply it again");
        }

        if (resource.Spec.Backup?.S3?.CredentialsSecret is not null)
        {
            // No Kubernetes here to hold the Secret: saying so beats uploading with other credentials.
            yield return new ValidationError(fileName, "spec.backup.s3.credentialsSecret", "names a Kubernetes Secret, which the local platform has none of; allowed here: credentialsFile (an AWS shared credentials file), or neither (the control plane's own AWS credentials)");
        }

        if (plan.Spec.Zones.Count > 200)
        {
            yield return new ValidationError(fileName, "spec.zones", "at most 200 zones have loopback addresses here");
        }
    }
}
