using System.Runtime.InteropServices;
using Redoubt.Platforms.Local;

namespace Redoubt.Integration.Tests.Infrastructure;

/// <summary>Faults for the tests, through the same POSIX signal call the local platform uses.</summary>
internal static class Processes
{
    public const int SigKill = Signals.SigKill;
    public const int SigTerm = Signals.SigTerm;
    public const int SigStop = Signals.SigStop;
    public const int SigCont = Signals.SigCont;

    public static bool TrySignal(int pid, int signal) => Signals.Send(pid, signal);

    public static void Signal(int pid, int signal) =>
        Assert.True(Signals.Send(pid, signal), $"could not send signal {signal} to pid {pid} (errno {Marshal.GetLastPInvokeError()})");
}
