using k8s.Models;
using Redoubt.Core.Planning;
using Redoubt.Model;
using Redoubt.Platforms.Kubernetes.Manifests;

namespace Redoubt.Kubernetes.Tests.HostileInput;

/// <summary>
/// What a resource the loader accepted renders to: the Kubernetes objects (and in them redis.conf and sentinel.conf,
/// the same renderer the local platform uses) without an exception, and configuration files free of anything a
/// hostile file tried to inject. Every injection payload the generators write carries the marker INJECTED.
/// </summary>
internal static class RenderVerdict
{
    public const string Marker = "INJECTED";

    public static IReadOnlyList<string> Of(RedisResource resource)
    {
        var problems = new List<string>();
        try
        {
            var options = new ManifestOptions();
            var names = new ObjectNames(resource.Metadata.Name);
            var desired = ManifestGenerator.Generate(Planner.Plan(resource, names.RedisPod), options);
            foreach (var configMap in desired.Applied.OfType<V1ConfigMap>())
            {
                foreach (var (file, content) in configMap.Data ?? new Dictionary<string, string>())
                {
                    if (content.Contains(Marker, StringComparison.Ordinal))
                    {
                        problems.Add($"{resource.Key}: {configMap.Metadata.Name}/{file} carries an injected line: {content.Split('\n').First(l => l.Contains(Marker, StringComparison.Ordinal))}");
                    }
                }
            }

            _ = ManifestWriter.ToYaml(resource, options);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            problems.Add($"{resource.Key} was accepted but rendering it threw {e.GetType().Name}: {e.Message}");
        }

        return problems;
    }
}
