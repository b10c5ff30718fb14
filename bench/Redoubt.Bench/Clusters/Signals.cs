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

    /// <summary>
    /// SIGKILLs every process whose command line names a path under <paramref name="folder"/> (the configs the bench
    /// wrote): what a run that was itself killed may have left behind. Returns how many were killed.
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

            if (CommandLine(pid).Contains(folder, StringComparison.Ordinal) && TrySend(pid, Kill))
            {
                killed++;
            }
        }

        return killed;
    }
}
