using System.Runtime.InteropServices;

namespace Redoubt.Integration.Tests.Infrastructure;

internal static partial class Processes
{
    public const int SigKill = 9;
    public const int SigStop = 19;
    public const int SigCont = 18;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    public static bool TrySignal(int pid, int signal) => Kill(pid, signal) == 0;

    public static void Signal(int pid, int signal) =>
        Assert.True(Kill(pid, signal) == 0, $"could not send signal {signal} to pid {pid} (errno {Marshal.GetLastPInvokeError()})");
}
