using System.Collections.Concurrent;
using Redoubt.Core.Platform;
using Redoubt.Core.Redis;

namespace Redoubt.Core.Reconcile;

/// <summary>
/// Makes running Redis nodes serve a renewed certificate without a restart. The platform writes the new certificate
/// and key where the node reads them and names it in <see cref="NodeState.Certificate"/>; a node that has not loaded
/// that one is told to (CONFIG SET of its own tls-cert-file and tls-key-file, which Redis 7 answers by reading both
/// files again; connections already open keep their session). A node that started after the files were written read
/// them itself. Sentinels cannot do this and are restarted instead (see <see cref="Planning.Revisions"/>).
/// </summary>
public sealed class CertificateReload(RedisAdmin admin, Journal journal)
{
    private readonly ConcurrentDictionary<string, string> _loaded = new(StringComparer.Ordinal);

    /// <summary>The Redis nodes that must load their certificate: running, and not known to serve the one the platform names.</summary>
    public static IReadOnlyList<NodeState> Due(IReadOnlyList<NodeState> nodes, IReadOnlyDictionary<string, string> loaded) =>
        [.. nodes.Where(n => n is { Kind: NodeKind.Redis, Lifecycle: NodeLifecycle.Running, Certificate: not null, Address: not null }
            && (!loaded.TryGetValue(n.Name, out var served) || served != n.Certificate))];

    public async Task RunAsync(IReadOnlyList<NodeState> nodes)
    {
        foreach (var started in nodes.Where(n => n is { Kind: NodeKind.Redis, Lifecycle: NodeLifecycle.Starting, Certificate: not null }))
        {
            _loaded[started.Name] = started.Certificate!;
        }

        foreach (var node in Due(nodes, _loaded))
        {
            try
            {
                var files = (await admin.ExecuteAsync(node.Address!, NodeKind.Redis, "CONFIG", "GET", "tls-*-file").ConfigureAwait(false)).Array;
                var settings = new Dictionary<string, string>(StringComparer.Ordinal);
                for (var i = 0; i + 1 < files.Count; i += 2)
                {
                    settings[files[i].Text ?? ""] = files[i + 1].Text ?? "";
                }

                if (settings.GetValueOrDefault("tls-cert-file") is not { Length: > 0 } certificate || settings.GetValueOrDefault("tls-key-file") is not { Length: > 0 } key)
                {
                    // Started without TLS (a resource that had it off): only a restart changes that, and TLS is not switched on a running resource.
                    continue;
                }

                await admin.ExecuteAsync(node.Address!, NodeKind.Redis, "CONFIG", "SET", "tls-cert-file", certificate, "tls-key-file", key).ConfigureAwait(false);
                var renewed = _loaded.ContainsKey(node.Name);
                _loaded[node.Name] = node.Certificate!;
                if (renewed)
                {
                    journal.Normal("CertificateLoaded", $"{node.Name} serves its renewed TLS certificate ({node.Certificate![..12]}…), without a restart");
                }
            }
            catch (RedisAdminException)
            {
                // Not reachable now: the next pass tries again, and a node restarted meanwhile reads the files itself.
            }
        }
    }
}
