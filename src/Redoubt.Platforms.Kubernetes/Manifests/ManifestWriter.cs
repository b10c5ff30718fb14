using System.Text;
using k8s;
using Redoubt.Core.Planning;
using Redoubt.Model;

namespace Redoubt.Platforms.Kubernetes.Manifests;

/// <summary>Writes a resource's desired objects as multi-document YAML, the way <c>helm template</c> does.</summary>
public static class ManifestWriter
{
    public static string ToYaml(RedisResource resource, ManifestOptions options)
    {
        var names = new ObjectNames(resource.Metadata.Name);
        var plan = Planner.Plan(resource, names.RedisPod);
        var desired = ManifestGenerator.Generate(plan, options);
        var text = new StringBuilder();
        text.Append("# Redis ").Append(resource.Key).Append(": objects the Redoubt operator keeps in place.\n");
        if (desired.AuthSecret is { } secret)
        {
            text.Append("---\n")
                .Append("# The operator fills this Secret once with random 32-character passwords (key \"password\" for\n")
                .Append("# applications, unless authEnabled is false; admin-, replication- and sentinel-password for Redoubt's\n")
                .Append("# own users) and the config snippets derived from them, and never overwrites a password already there.\n")
                .Append(Document(secret));
        }

        foreach (var tls in desired.TlsSecrets)
        {
            text.Append("---\n")
                .Append(tls.Metadata.Name == desired.Names.TlsAuthoritySecret
                    ? "# The operator creates the resource's CA once (ECDSA P-256): ca.crt and ca.key. No pod mounts this Secret.\n"
                    : "# The operator fills this Secret with ca.crt, each Redis pod's <pod>.crt and <pod>.key (its DNS names, the\n"
                      + "# master and replica Services, localhost and its pod IP) and sentinel.crt / sentinel.key, renewed 30 days before\n"
                      + "# they end.\n")
                .Append(Document(tls));
        }

        foreach (var item in desired.Applied)
        {
            text.Append("---\n").Append(Document(item));
        }

        return text.ToString();
    }

    private static string Document(object item)
    {
        var yaml = KubernetesYaml.Serialize(item).ReplaceLineEndings("\n");
        return yaml.EndsWith('\n') ? yaml : yaml + "\n";
    }
}
