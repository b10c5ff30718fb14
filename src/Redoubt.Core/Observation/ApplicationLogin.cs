using System.Net.Sockets;
using Redoubt.Core.Platform;
using Redoubt.Core.Redis;

namespace Redoubt.Core.Observation;

/// <summary>
/// Logs in as an application would, on a fresh connection every time: AUTH with the application password (or none
/// when auth is off), then PING. Redoubt's own long-lived connections cannot tell that a client would be refused now
/// (a password changed under them, the user disabled); this can.
/// </summary>
public static class ApplicationLogin
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(500);

    /// <summary>Null when the application gets in; otherwise what it was told (never the password).</summary>
    public static async Task<string?> RefusedAsync(string address, string? password, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Timeout);
        var (host, port) = Endpoints.Parse(address);
        try
        {
            await using var connection = await RespConnection.ConnectAsync(host, port, deadline.Token).ConfigureAwait(false);
            object[][] commands = password is null ? [["PING"]] : [["AUTH", password], ["PING"]];
            var replies = await connection.PipelineAsync(commands, deadline.Token).ConfigureAwait(false);
            return replies.OfType<RedisReplyException>().FirstOrDefault()?.Message;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"no answer within {Timeout.TotalMilliseconds:F0} ms";
        }
        catch (Exception e) when (e is IOException or SocketException or NodeUnreachableException)
        {
            return e.Message;
        }
    }
}
