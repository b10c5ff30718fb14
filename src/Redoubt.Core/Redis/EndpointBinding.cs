using Redoubt.Core.Platform;

namespace Redoubt.Core.Redis;

/// <summary>
/// The master endpoint (<see cref="IRedisPlatform.MasterEndpoint"/>): the master listens on the endpoint's address
/// beside its own, on its own port (every Redis node of the resource has that port), so clients that know one address
/// reach the master with no proxy in between. Only one process can listen on an address and port: a node that has not
/// let go of the endpoint keeps every other node from taking it, so the endpoint never reaches two nodes at once.
/// </summary>
public static class EndpointBinding
{
    /// <summary>Whether a node's <c>bind</c> setting (space-separated addresses) includes <paramref name="host"/>.</summary>
    public static bool Holds(string? bind, string host) =>
        bind is not null && bind.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(host, StringComparer.Ordinal);

    /// <summary>The <c>bind</c> setting with <paramref name="host"/> added, or removed.</summary>
    public static string With(string bind, string host, bool held)
    {
        var others = bind.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(a => a != host);
        return string.Join(' ', held ? others.Append(host) : others);
    }

    /// <summary>The node's <c>bind</c> setting, as CONFIG GET says.</summary>
    public static async Task<string> BindOfAsync(RedisAdmin admin, string node, TimeSpan timeout)
    {
        var reply = await admin.ExecuteAsync(node, NodeKind.Redis, timeout, "CONFIG", "GET", "bind").ConfigureAwait(false);
        return reply.Array.Count == 2 ? reply.Array[1].Text ?? "" : "";
    }

    /// <summary>
    /// Makes the node listen on the endpoint too. Redis refuses (and keeps its old addresses) while another process
    /// still listens there: a deposed master that has not let go, or one that hangs until it is fenced.
    /// </summary>
    public static async Task HoldAsync(RedisAdmin admin, string node, string endpoint, TimeSpan timeout)
    {
        var (host, _) = Endpoints.Parse(endpoint);
        var bind = await BindOfAsync(admin, node, timeout).ConfigureAwait(false);
        for (var attempt = 1; !Holds(bind, host); attempt++)
        {
            try
            {
                await admin.ExecuteAsync(node, NodeKind.Redis, timeout, "CONFIG", "SET", "bind", With(bind, host, held: true)).ConfigureAwait(false);
                return;
            }
            catch (RedisReplyException e) when (attempt < BindAttempts && e.Message.Contains("Failed to bind", StringComparison.Ordinal))
            {
                // Busy for a moment: a node that is letting go of it right now, or a process that just exited and whose
                // socket the kernel is still closing. One that holds on (a frozen master) fails every attempt.
                await Task.Delay(BindRetryPause).ConfigureAwait(false);
            }
        }
    }

    private const int BindAttempts = 5;
    private static readonly TimeSpan BindRetryPause = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Stops the node listening on the endpoint, then closes the connections it had accepted there: they stay open when
    /// the listener closes, and would keep reaching a node that is no longer the master.
    /// </summary>
    public static async Task ReleaseAsync(RedisAdmin admin, string node, string endpoint, TimeSpan timeout)
    {
        var (host, _) = Endpoints.Parse(endpoint);
        var bind = await BindOfAsync(admin, node, timeout).ConfigureAwait(false);
        if (Holds(bind, host))
        {
            await admin.ExecuteAsync(node, NodeKind.Redis, timeout, "CONFIG", "SET", "bind", With(bind, host, held: false)).ConfigureAwait(false);
        }

        await admin.ExecuteAsync(node, NodeKind.Redis, timeout, "CLIENT", "KILL", "LADDR", endpoint).ConfigureAwait(false);
    }
}
