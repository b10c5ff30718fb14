using System.Runtime.InteropServices;

namespace Redoubt.Kubernetes.Cluster.Tests.Cluster;

/// <summary>kill(2): .NET's Process offers SIGKILL only, and the API server should get the chance to stop cleanly.</summary>
internal static partial class Signals
{
    public const int SigKill = 9;
    public const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    public static bool Send(int pid, int signal) => Kill(pid, signal) == 0;
}
