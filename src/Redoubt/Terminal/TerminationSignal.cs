using System.Runtime.InteropServices;

namespace Redoubt.Terminal;

/// <summary>
/// Turns the first Ctrl-C or SIGTERM into a cancellation, so `serve` and `up` can stop every node cleanly. A second
/// Ctrl-C is left to the default handler and ends the process at once; the nodes keep running and the next control
/// plane adopts them.
/// </summary>
public sealed class TerminationSignal : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly PosixSignalRegistration[] _registrations;
    private int _received;

    private TerminationSignal()
    {
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
        ];
    }

    public CancellationToken Token => _source.Token;

    public static TerminationSignal Register() => new();

    private void OnSignal(PosixSignalContext context)
    {
        if (Interlocked.Increment(ref _received) > 1)
        {
            return;
        }
        context.Cancel = true;
        _source.Cancel();
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }
        _source.Dispose();
    }
}
