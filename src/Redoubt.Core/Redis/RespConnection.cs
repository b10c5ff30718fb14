using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using Redoubt.Core.Tls;

namespace Redoubt.Core.Redis;

/// <summary>
/// One connection to a Redis node or Sentinel speaking RESP2: commands are written together (a pipeline) and
/// their replies read in order. The control plane needs nothing more, and every step here is bounded by the
/// caller's timeout, so a frozen node costs one timeout, never a stall. For a TLS resource the connection is
/// wrapped in TLS before the first command, the handshake bounded by the same timeout.
/// </summary>
internal sealed class RespConnection : IAsyncDisposable
{
    /// <summary>
    /// The read buffer a connection starts with. The control plane keeps a connection open to every node and Sentinel
    /// (120 at 10 resources of three replicas) and the largest reply it reads every pass, INFO, is about 4.5 KB, so
    /// this holds any of them in one read; a buffer of <see cref="MaxLine"/> per connection kept 7.5 MiB of the managed
    /// heap resident for nothing.
    /// </summary>
    private const int InitialBuffer = 8 * 1024;

    /// <summary>The longest reply line (a status, an error, a length) read; the buffer grows up to this on demand.</summary>
    private const int MaxLine = 64 * 1024;

    /// <summary>The chunk a snapshot is streamed through (<see cref="CopyBulkPayloadAsync"/>).</summary>
    private const int CopyChunk = 64 * 1024;

    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly Encoding _encoding;
    private byte[] _buffer = new byte[InitialBuffer];
    private int _start;
    private int _end;

    private RespConnection(Socket socket, Stream stream, Encoding? encoding = null)
    {
        _socket = socket;
        _stream = stream;
        _encoding = encoding ?? Encoding.UTF8;
        ServerCertificate = (stream as SslStream)?.RemoteCertificate?.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256);
    }

    /// <summary>The SHA-256 thumbprint of the certificate the server presented, for a TLS connection.</summary>
    public string? ServerCertificate { get; }

    /// <summary>Logged in the way a node without Redoubt's admin user is reached (see <see cref="RedisAdmin"/>).</summary>
    public bool LoggedInAsLegacy { get; set; }

    /// <param name="tls">The resource's CA when its nodes speak TLS; null for plain TCP.</param>
    public static async Task<RespConnection> ConnectAsync(string host, int port, ServerTrust? tls, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Stream? stream = null;
        try
        {
            await socket.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
            stream = new NetworkStream(socket, ownsSocket: true);
            if (tls is not null)
            {
                var secure = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = secure;
                try
                {
                    await secure.AuthenticateAsClientAsync(tls.OptionsFor(host), cancellationToken).ConfigureAwait(false);
                }
                catch (AuthenticationException e)
                {
                    // A certificate not from the resource's CA, or not naming this address: never talk to it.
                    throw new NodeUnreachableException($"TLS with {host}:{port} failed: {e.Message}", e);
                }
            }

            return new RespConnection(socket, stream);
        }
        catch
        {
            if (stream is not null)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }

            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A connection over a Unix socket, to a server only this machine reaches (a restore's scratch server). Latin-1
    /// maps every byte to one character and back, so key names that are not UTF-8 survive a round trip through text.
    /// </summary>
    public static async Task<RespConnection> ConnectUnixAsync(string path, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken).ConfigureAwait(false);
            return new RespConnection(socket, new NetworkStream(socket, ownsSocket: true), Encoding.Latin1);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends one command without reading a reply (SYNC, whose reply is a snapshot: <see cref="CopyBulkPayloadAsync"/>).</summary>
    public Task SendAsync(object[] command, CancellationToken cancellationToken) => WriteAsync([command], cancellationToken);

    /// <summary>
    /// Reads the reply to SYNC into <paramref name="destination"/>: the newlines a server sends while its snapshot is
    /// being written, then the snapshot as one bulk payload (a length, then that many bytes). Returns its length.
    /// </summary>
    public async Task<long> CopyBulkPayloadAsync(Stream destination, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_start == _end)
            {
                await FillAsync(cancellationToken).ConfigureAwait(false);
            }

            if (_buffer[_start] != (byte)'\n')
            {
                break;
            }

            _start++;
        }

        var line = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
        if (line.StartsWith('-'))
        {
            throw new RedisReplyException(line[1..]);
        }

        if (!line.StartsWith('$') || !long.TryParse(line.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var length))
        {
            throw new NodeUnreachableException($"expected a snapshot's length, got '{(line.Length > 40 ? line[..40] : line)}'");
        }

        var left = length;
        var buffered = (int)Math.Min(left, _end - _start);
        await destination.WriteAsync(_buffer.AsMemory(_start, buffered), cancellationToken).ConfigureAwait(false);
        _start += buffered;
        left -= buffered;
        // A snapshot can be gigabytes: streamed in chunks larger than the reply buffer, a chunk only while it lasts.
        var chunk = new byte[CopyChunk];
        while (left > 0)
        {
            var read = await _stream.ReadAsync(chunk.AsMemory(0, (int)Math.Min(left, chunk.Length)), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new NodeUnreachableException($"the server closed the connection {left} bytes before the end of the snapshot");
            }

            await destination.WriteAsync(chunk.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            left -= read;
        }

        _start = _end = 0;
        return length;
    }

    /// <summary>Sends every command, then reads one reply per command. An error reply is returned as an exception in its slot.</summary>
    public async Task<IReadOnlyList<object>> PipelineAsync(IReadOnlyList<object[]> commands, CancellationToken cancellationToken)
    {
        await WriteAsync(commands, cancellationToken).ConfigureAwait(false);
        var replies = new List<object>(commands.Count);
        for (var i = 0; i < commands.Count; i++)
        {
            replies.Add(await ReadReplyAsync(cancellationToken).ConfigureAwait(false));
        }

        return replies;
    }

    private async Task WriteAsync(IReadOnlyList<object[]> commands, CancellationToken cancellationToken)
    {
        var request = new StringBuilder();
        foreach (var command in commands)
        {
            request.Append('*').Append(command.Length).Append("\r\n");
            foreach (var part in command)
            {
                var text = Convert.ToString(part, CultureInfo.InvariantCulture) ?? "";
                request.Append('$').Append(_encoding.GetByteCount(text)).Append("\r\n").Append(text).Append("\r\n");
            }
        }

        await _stream.WriteAsync(_encoding.GetBytes(request.ToString()), cancellationToken).ConfigureAwait(false);
    }

    private async Task<object> ReadReplyAsync(CancellationToken cancellationToken)
    {
        var line = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
        var rest = line[1..];
        switch (line[0])
        {
            case '+':
                return new RespValue(rest, null, null);
            case '-':
                return new RedisReplyException(rest);
            case ':':
                return new RespValue(null, long.Parse(rest, CultureInfo.InvariantCulture), null);
            case '$':
                var length = int.Parse(rest, CultureInfo.InvariantCulture);
                if (length < 0)
                {
                    return RespValue.Null;
                }

                var bytes = await ReadExactAsync(length + 2, cancellationToken).ConfigureAwait(false);
                return new RespValue(_encoding.GetString(bytes, 0, length), null, null);
            case '*':
                var count = int.Parse(rest, CultureInfo.InvariantCulture);
                if (count < 0)
                {
                    return RespValue.Null;
                }

                var items = new List<RespValue>(count);
                for (var i = 0; i < count; i++)
                {
                    var item = await ReadReplyAsync(cancellationToken).ConfigureAwait(false);
                    items.Add(item as RespValue ?? new RespValue(((Exception)item).Message, null, null));
                }

                return new RespValue(null, null, items);
            default:
                throw new NodeUnreachableException($"unexpected reply from the server: '{line}'");
        }
    }

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline > _start && _buffer[newline - 1] == '\r')
            {
                var line = _encoding.GetString(_buffer, _start, newline - 1 - _start);
                _start = newline + 1;
                return line;
            }

            await FillAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<byte[]> ReadExactAsync(int count, CancellationToken cancellationToken)
    {
        var result = new byte[count];
        var copied = 0;
        while (copied < count)
        {
            if (_start == _end)
            {
                if (count - copied >= _buffer.Length)
                {
                    // More than the buffer holds is left of this payload (a key's DUMP in a restore): straight into
                    // the result, without a copy through the buffer.
                    var read = await _stream.ReadAsync(result.AsMemory(copied, count - copied), cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        throw new NodeUnreachableException("the server closed the connection");
                    }

                    copied += read;
                    continue;
                }

                await FillAsync(cancellationToken).ConfigureAwait(false);
            }

            var take = Math.Min(count - copied, _end - _start);
            Buffer.BlockCopy(_buffer, _start, result, copied, take);
            _start += take;
            copied += take;
        }

        return result;
    }

    private async Task FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            if (_buffer.Length >= MaxLine)
            {
                throw new NodeUnreachableException("a reply line longer than the read buffer");
            }

            Array.Resize(ref _buffer, Math.Min(_buffer.Length * 2, MaxLine));
        }

        var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            throw new NodeUnreachableException("the server closed the connection");
        }

        _end += read;
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync().ConfigureAwait(false);
        _socket.Dispose();
    }
}
