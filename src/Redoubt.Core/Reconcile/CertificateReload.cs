using Redoubt.Core.Platform;
using Redoubt.Core.Redis;
using Redoubt.Core.Tls;

namespace Redoubt.Core.Reconcile;

/// <summary>
/// Makes running Redis nodes serve a renewed certificate without a restart. The platform writes the new certificate
/// and key where the node reads them and names it in <see cref="NodeState.Certificate"/>; a node whose TLS handshake
/// presents another one is told to load its files again (CONFIG SET of its own tls-cert-file and tls-key-file, which
/// Redis 7 answers by reading both; connections already open keep their session). Level-based: what a node serves is
/// read fresh every pass, so a file that reaches the node late (a Kubernetes Secret is synced into a pod within a
/// minute or so) is loaded on the pass after it arrives. Sentinels cannot load a certificate at run time and are
/// restarted instead (see <see cref="Planning.Revisions"/>).
/// </summary>
public sealed class CertificateReload(RedisAdmin admin, Journal journal)
{
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromMilliseconds(500);

    /// <summary>The Redis nodes that must load their certificate: running, and presenting another one than the platform names.</summary>
    public static IReadOnlyList<NodeState> Due(IReadOnlyList<NodeState> nodes, IReadOnlyDictionary<string, string> served) =>
        [.. nodes.Where(n => n is { Kind: NodeKind.Redis, Lifecycle: NodeLifecycle.Running, Certificate: not null, Address: not null }
            && served.TryGetValue(n.Name, out var presented) && presented != n.Certificate)];

    /// <returns>The Redis nodes that still present another certificate than their own after being told to load it.</returns>
    public async Task<IReadOnlyList<string>> RunAsync(IReadOnlyList<NodeState> nodes, CancellationToken cancellationToken)
    {
        if (admin.Tls is not { } tls)
        {
            return [];
        }

        var stale = new List<string>();

        var candidates = nodes.Where(n => n is { Kind: NodeKind.Redis, Lifecycle: NodeLifecycle.Running, Certificate: not null, Address: not null }).ToList();
        var presented = await Task.WhenAll(candidates.Select(n => ServedAsync(n.Address!, tls, cancellationToken))).ConfigureAwait(false);
        var served = candidates.Zip(presented).Where(p => p.Second is not null).ToDictionary(p => p.First.Name, p => p.Second!, StringComparer.Ordinal);
        foreach (var node in Due(nodes, served))
        {
            try
            {
                var files = (await admin.ExecuteAsync(node.Address!, NodeKind.Redis, "CONFIG", "GET", "tls-*-file").ConfigureAwait(false)).Array;
                var settings = new Dictionary<string, string>(StringComparer.Ordinal);
                for (var i = 0; i + 1 < files.Count; i += 2)
                {
                    settings[files[i].Text ?? ""] = files[i + 1].Text ?? "";
                }

                if (settings.GetValueOrDefault("tls-cert-file") is { Length: > 0 } certificate && settings.GetValueOrDefault("tls-key-file") is { Length: > 0 } key)
                {
                    await admin.ExecuteAsync(node.Address!, NodeKind.Redis, "CONFIG", "SET", "tls-cert-file", certificate, "tls-key-file", key).ConfigureAwait(false);
                    if (await ServedAsync(node.Address!, tls, cancellationToken).ConfigureAwait(false) == node.Certificate)
                    {
                        journal.Normal("CertificateLoaded", $"{node.Name} serves its renewed TLS certificate ({node.Certificate![..12]}…), without a restart");
                        continue;
                    }
                }
            }
            catch (RedisAdminException)
            {
                // Not reachable now: the next pass looks again, and a node restarted meanwhile reads the files itself.
            }

            // Its files are not the new ones yet (a Secret reaches a pod a minute or so after it changes).
            stale.Add(node.Name);
        }

        return stale;
    }

    /// <summary>The thumbprint of the certificate a node presents on a fresh connection, or null when it cannot be reached now.</summary>
    private static async Task<string?> ServedAsync(string address, ServerTrust tls, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(HandshakeTimeout);
        var (host, port) = Endpoints.Parse(address);
        try
        {
            await using var connection = await RespConnection.ConnectAsync(host, port, tls, deadline.Token).ConfigureAwait(false);
            return connection.ServerCertificate;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or NodeUnreachableException)
        {
            return null;
        }
    }
}
