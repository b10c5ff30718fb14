using System.Net.Sockets;

namespace Redoubt.Hosting;

/// <summary>Whether something answers on the home's socket: a file alone may be left over from a crash.</summary>
public static class ControlPlaneProbe
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(2);

    public static async Task<bool> IsServingAsync(RedoubtHome home, CancellationToken cancellationToken)
    {
        if (!File.Exists(home.SocketPath))
        {
            return false;
        }
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ConnectTimeout);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(home.SocketPath), timeout.Token);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // A listener that accepts nothing for two seconds is not a control plane anyone can use, but it may be
            // one that is busy: treat it as serving rather than remove its socket.
            return true;
        }
    }
}
