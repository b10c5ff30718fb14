using System.Runtime.InteropServices;

namespace Redoubt.Bench.Clusters;

/// <summary>kill(2) without spawning a process, so the fault time recorded is the moment of the signal.</summary>
internal static partial class Signals
{
    public const int Interrupt = 2;
    public const int Kill = 9;
    public const int Stop = 19;
    public const int Continue = 18;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);

    public static void Send(int pid, int signal)
    {
        if (SendSignal(pid, signal) != 0)
        {
            throw new InvalidOperationException($"could not send signal {signal} to pid {pid} (errno {Marshal.GetLastPInvokeError()})");
        }
    }

    public static bool TrySend(int pid, int signal) => SendSignal(pid, signal) == 0;

    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..][0];
            return state is not 'Z' and not 'X';
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>The command line of <paramref name="pid"/> with NULs as spaces, or "" when it is gone.</summary>
    public static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
    }

    /// <summary>The process's working directory; empty when it is gone or not ours to read.</summary>
    private static string WorkingDirectory(int pid)
    {
        try
        {
            return Directory.ResolveLinkTarget($"/proc/{pid}/cwd", returnFinalTarget: false)?.FullName ?? "";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    /// <summary>
    /// SIGKILLs every process whose command line names a path under <paramref name="folder"/> (the configs the bench
    /// wrote) or that runs in a directory under it (Redis and Sentinel): what a run that was itself killed may have left behind. Returns how many were killed.
    /// </summary>
    public static int KillEverythingUnder(string folder)
    {
        var killed = 0;
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            // Redis and Sentinel rewrite their command line ("redis-server 127.0.0.1:6379"), so the folder is not in it;
            // they run in their data directory under the folder, which /proc/PID/cwd names.
            if ((CommandLine(pid).Contains(folder, StringComparison.Ordinal) || WorkingDirectory(pid).StartsWith(folder, StringComparison.Ordinal)) && TrySend(pid, Kill))
            {
                killed++;
            }
        }

        return killed;
    }
}
