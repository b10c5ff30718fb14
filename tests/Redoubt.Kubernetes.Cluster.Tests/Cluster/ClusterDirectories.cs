using System.Globalization;

namespace Redoubt.Kubernetes.Cluster.Tests.Cluster;

/// <summary>
/// Each test cluster lives in /tmp/redoubt-test-clusters/&lt;test host pid&gt;-&lt;random&gt;, with the pids of the
/// processes it started in a file. A test host that was killed cannot stop its cluster, so the next one does:
/// a process is only ever signalled when its command line or environment names that cluster's own directory.
/// </summary>
internal static class ClusterDirectories
{
    private const string PidsFile = "pids";
    private static readonly string Root = Path.Combine(Path.GetTempPath(), "redoubt-test-clusters");

    public static string Create()
    {
        var path = Path.Combine(Root, $"{Environment.ProcessId}-{Guid.NewGuid():N}"[..24]);
        Directory.CreateDirectory(path);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    public static void RecordPid(string directory, int pid) =>
        File.AppendAllText(Path.Combine(directory, PidsFile), pid.ToString(CultureInfo.InvariantCulture) + "\n");

    public static void Remove(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A process that has not let go of a file yet; the next run removes the directory as abandoned.
        }
    }

    /// <summary>Stops what clusters of test hosts that no longer run left behind, and removes their directories.</summary>
    public static void RemoveAbandoned()
    {
        if (!Directory.Exists(Root))
        {
            return;
        }

        foreach (var directory in Directory.GetDirectories(Root))
        {
            var owner = Path.GetFileName(directory).Split('-')[0];
            if (!int.TryParse(owner, CultureInfo.InvariantCulture, out var ownerPid) || IsRunning(ownerPid))
            {
                continue;
            }

            var pids = Path.Combine(directory, PidsFile);
            foreach (var line in File.Exists(pids) ? File.ReadAllLines(pids) : [])
            {
                if (int.TryParse(line, CultureInfo.InvariantCulture, out var pid) && StartedFor(pid, directory))
                {
                    Signals.Send(pid, Signals.SigKill);
                }
            }

            Remove(directory);
        }
    }

    private static bool IsRunning(int pid) => Directory.Exists($"/proc/{pid}");

    /// <summary>Whether the process names the cluster's directory on its command line or in its environment.</summary>
    private static bool StartedFor(int pid, string directory) =>
        Read($"/proc/{pid}/cmdline").Contains(directory, StringComparison.Ordinal) || Read($"/proc/{pid}/environ").Contains(directory, StringComparison.Ordinal);

    private static string Read(string path)
    {
        try
        {
            return File.ReadAllText(path).Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }
}
