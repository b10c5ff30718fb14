using System.Net.Sockets;
using System.Text;

namespace Redoubt.Integration.Tests.HostileInput;

/// <summary>
/// One hostile request on the control socket and what is wrong with its answer: the contract the control API test and
/// the fuzz benchmark hold it to.
/// </summary>
internal static class ControlApiExchange
{
    /// <summary>Sends <paramref name="request"/> and returns what is wrong with the answer, or null when it is an error reply or a closed connection as it should be.</summary>
    public static async Task<string?> ProblemAsync(string socketPath, HostileRequest request)
    {
        var (answered, reply) = await ExchangeAsync(socketPath, request);
        return Problem(request, answered, reply);
    }

    /// <summary>What is wrong with the reply to <paramref name="request"/>, or null.</summary>
    private static string? Problem(HostileRequest request, bool answered, string reply)
    {
        if (!answered)
        {
            return "neither a reply nor a closed connection within 20 s";
        }

        if (reply.Length == 0)
        {
            // Closed without a word: fine for bytes that are not HTTP, never for a well-framed request.
            return request.IsWellFramed ? "a well-framed request was answered with a closed connection" : null;
        }

        // Kestrel answers the HTTP/2 preface in HTTP/2 (its frames are binary), which is an answer too.
        if (!reply.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) && !request.Description.Contains("HTTP/2 preface", StringComparison.Ordinal))
        {
            return $"a reply that is not HTTP: {Cut(reply)}";
        }

        if (!reply.StartsWith("HTTP/1.1 ", StringComparison.Ordinal))
        {
            return null;
        }

        // 505 (HTTP/9.9) and 501 are Kestrel's protocol answers; 500 is an exception the API did not handle.
        var status = reply.Split(' ', 3)[1];
        if (status.StartsWith('5') && status is not ("501" or "505"))
        {
            return $"status {status}: {Cut(reply)}";
        }

        if (reply.Contains("   at ", StringComparison.Ordinal) || reply.Contains("Exception", StringComparison.Ordinal))
        {
            return $"a stack trace or exception in the reply: {Cut(reply)}";
        }

        // With its errors, or, when the JSON itself carries half a surrogate pair, that the body is not what it must be.
        if (request.IsApplyOfARejectedFile && !(status == "400" && (reply.Contains("\"errors\"", StringComparison.Ordinal) || reply.Contains("\"error\"", StringComparison.Ordinal))))
        {
            return $"a rejected file was not answered 400 with its errors: {Cut(reply)}";
        }

        return null;
    }

    /// <summary>Sends the bytes, closes the sending side unless the request is well framed, and reads the reply until the server closes (true) or 20 s pass (false).</summary>
    private static async Task<(bool Answered, string Reply)> ExchangeAsync(string socketPath, HostileRequest request)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        var reply = new MemoryStream();
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), deadline.Token);
            await socket.SendAsync(request.Bytes, SocketFlags.None, deadline.Token);
            if (!request.IsWellFramed)
            {
                socket.Shutdown(SocketShutdown.Send);
            }

            var buffer = new byte[64 * 1024];
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token) is var read and > 0)
            {
                reply.Write(buffer, 0, read);
            }
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.Shutdown or SocketError.ConnectionAborted)
        {
            // The server closed the connection while the request was still being sent (an oversized one): an answer.
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return (false, Encoding.UTF8.GetString(reply.ToArray()));
        }

        return (true, Encoding.UTF8.GetString(reply.ToArray()));
    }

    private static string Cut(string reply) => reply.Length > 400 ? reply[..400] + "..." : reply;
}
