using System.Net.Sockets;
using Redoubt.Core.Platform;
using Redoubt.Core.Redis;
using Redoubt.Core.Tls;

namespace Redoubt.Core.Observation;

/// <summary>
/// Logs in as an application would, on a fresh connection every time: AUTH with the application password (or none
/// when auth is off), then PING. Redoubt's own long-lived connections cannot tell that a client would be refused now
/// (a password changed under them, the user disabled); this can.
/// </summary>
public static class ApplicationLogin
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// What the node told the application when it refused it (never the password), or null when it let it in. A node
    /// that does not answer in time, or drops the connection, refused nothing: whether it is reachable is the other
    /// probes' question, and a slow connect on a loaded machine must not make a healthy resource not Ready.
    /// </summary>
    /// <param name="tls">The resource's CA when its nodes speak TLS: applications then connect with TLS too.</param>
    public static async Task<string?> RefusedAsync(string address, string? password, ServerTrust? tls, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Timeout);
        var (host, port) = Endpoints.Parse(address);
        try
        {
            await using var connection = await RespConnection.ConnectAsync(host, port, tls, deadline.Token).ConfigureAwait(false);
            object[][] commands = password is null ? [["PING"]] : [["AUTH", password], ["PING"]];
            var replies = await connection.PipelineAsync(commands, deadline.Token).ConfigureAwait(false);
            // A node that cannot write to disk answers PING with MISCONF: the login went through, and the status says
            // what is wrong with the disk (Persisting), not that applications are locked out.
            return replies.OfType<RedisReplyException>().FirstOrDefault(e => !e.Message.StartsWith("MISCONF", StringComparison.Ordinal))?.Message;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or SocketException or NodeUnreachableException)
        {
            return null;
        }
    }
}
