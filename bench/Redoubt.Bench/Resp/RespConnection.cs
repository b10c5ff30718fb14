using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Redoubt.Bench.Resp;

/// <summary>
/// A minimal RESP2 client over one socket: one command at a time, every call bounded by a timeout. The failover
/// figures are measured with it so that no client library's own reconnect logic sits between a fault and the numbers.
/// </summary>
internal sealed class RespConnection : IDisposable
{
    private readonly Socket _socket;
    // The socket's stream once it is connected, or TLS over it.
    private Stream _stream = Stream.Null;
    private readonly ArrayBufferWriter<byte> _out = new(256);
    private byte[] _in = new byte[16 * 1024];
    private int _start;
    private int _end;

    private RespConnection(Socket socket, string address)
    {
        _socket = socket;
        Address = address;
    }

    public string Address { get; }

    /// <summary>
    /// The CA of the resource under test when it speaks TLS: every connection of the run then uses TLS and accepts only
    /// that CA's certificates for the address it connects to. One setting for the process, because the parts of a run
    /// measure one setup at a time; it is cleared before the plain baseline.
    /// </summary>
    public static X509Certificate2? Authority { get; set; }

    /// <summary>
    /// The name a node's certificate must carry for an address, when it is not the address's host: a client in a
    /// Kubernetes cluster reaches the Sentinels through their Service's name, not a pod's IP.
    /// </summary>
    public static Func<string, string?>? ServerName { get; set; }

    public static async Task<RespConnection> ConnectAsync(string address, string? password, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var (host, port) = Split(address);
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var connection = new RespConnection(socket, address);
        try
        {
            using (var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                limit.CancelAfter(timeout);
                try
                {
                    await socket.ConnectAsync(IPAddress.Parse(host), port, limit.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new TimeoutException($"{address} did not accept a connection within {timeout.TotalMilliseconds:F0} ms");
                }
            }

            connection._stream = new NetworkStream(socket, ownsSocket: true);
            if (Authority is { } authority)
            {
                await connection.StartTlsAsync(ServerName?.Invoke(address) ?? host, authority, timeout, cancellationToken).ConfigureAwait(false);
            }

            if (password is not null)
            {
                (await connection.CommandAsync(timeout, cancellationToken, "AUTH", password).ConfigureAwait(false)).ThrowIfError();
            }

            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public static (string Host, int Port) Split(string address)
    {
        var colon = address.LastIndexOf(':');
        return (address[..colon].Trim('[', ']'), int.Parse(address.AsSpan(colon + 1), CultureInfo.InvariantCulture));
    }

    public async Task<RespReply> CommandAsync(TimeSpan timeout, CancellationToken cancellationToken, params string[] arguments)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await SendAsync(limit.Token, arguments).ConfigureAwait(false);
            return await ReadAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{Address} did not answer {arguments[0]} within {timeout.TotalMilliseconds:F0} ms");
        }
    }

    public async Task SendAsync(CancellationToken token, params string[] arguments)
    {
        _out.ResetWrittenCount();
        Append($"*{arguments.Length.ToString(CultureInfo.InvariantCulture)}\r\n");
        foreach (var argument in arguments)
        {
            Append($"${Encoding.UTF8.GetByteCount(argument).ToString(CultureInfo.InvariantCulture)}\r\n");
            Append(argument);
            Append("\r\n");
        }

        await _stream.WriteAsync(_out.WrittenMemory, token).ConfigureAwait(false);
    }

    private async Task StartTlsAsync(string host, X509Certificate2 authority, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.Add(authority);
        var secure = new SslStream(_stream, leaveInnerStreamOpen: false);
        _stream = secure;
        try
        {
            await secure.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = host, CertificateChainPolicy = policy }, limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{Address} did not complete the TLS handshake within {timeout.TotalMilliseconds:F0} ms");
        }
    }

    /// <summary>Reads one reply (a pushed message on a subscribed connection); cancelled through <paramref name="token"/>.</summary>
    public Task<RespReply> ReadReplyAsync(CancellationToken token) => ReadAsync(token);

    private void Append(string text)
    {
        var span = _out.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        _out.Advance(Encoding.UTF8.GetBytes(text, span));
    }

    private async Task<RespReply> ReadAsync(CancellationToken token)
    {
        var line = await ReadLineAsync(token).ConfigureAwait(false);
        var body = line[1..];
        switch (line[0])
        {
            case '+':
                return new RespReply(RespKind.Simple, body);
            case '-':
                return new RespReply(RespKind.Error, body);
            case ':':
                return new RespReply(RespKind.Integer, body, long.Parse(body, CultureInfo.InvariantCulture));
            case '$':
                var length = int.Parse(body, CultureInfo.InvariantCulture);
                if (length < 0)
                {
                    return RespReply.Null;
                }

                await FillAsync(length + 2, token).ConfigureAwait(false);
                var text = Encoding.UTF8.GetString(_in, _start, length);
                _start += length + 2;
                return new RespReply(RespKind.Bulk, text);
            case '*':
                var count = int.Parse(body, CultureInfo.InvariantCulture);
                if (count < 0)
                {
                    return RespReply.Null;
                }

                var items = new List<RespReply>(count);
                for (var i = 0; i < count; i++)
                {
                    items.Add(await ReadAsync(token).ConfigureAwait(false));
                }

                return new RespReply(RespKind.Array, Items: items);
            default:
                throw new IOException($"{Address} sent a reply this client does not understand: '{line}'");
        }
    }

    private async Task<string> ReadLineAsync(CancellationToken token)
    {
        var scanned = 0;
        while (true)
        {
            var end = Array.IndexOf(_in, (byte)'\n', _start + scanned, _end - _start - scanned);
            if (end > _start && _in[end - 1] == '\r')
            {
                var line = Encoding.UTF8.GetString(_in, _start, end - 1 - _start);
                _start = end + 1;
                return line;
            }

            scanned = _end - _start;
            await FillAsync(scanned + 1, token).ConfigureAwait(false);
        }
    }

    /// <summary>Makes at least <paramref name="count"/> unread bytes available.</summary>
    private async Task FillAsync(int count, CancellationToken token)
    {
        while (_end - _start < count)
        {
            if (_in.Length - _start < count)
            {
                var bigger = count > _in.Length ? new byte[Math.Max(count, _in.Length * 2)] : _in;
                Buffer.BlockCopy(_in, _start, bigger, 0, _end - _start);
                _end -= _start;
                _start = 0;
                _in = bigger;
            }

            var read = await _stream.ReadAsync(_in.AsMemory(_end), token).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException($"{Address} closed the connection");
            }

            _end += read;
        }
    }

    public void Dispose()
    {
        _stream.Dispose();
        _socket.Dispose();
    }
}

/// <summary>The failures a bounded RESP call can end in: the caller drops the connection and tries again.</summary>
internal static class RespFailure
{
    /// <remarks>
    /// A refused certificate (a node serving one that does not name the address it is reached at) is, to a client, a
    /// connection that failed like any other: the writer counts it and tries again, and the gap shows how long it lasted.
    /// </remarks>
    public static bool Is(Exception e) => e is IOException or SocketException or TimeoutException or RespErrorException or ObjectDisposedException
        or System.Security.Authentication.AuthenticationException;
}
