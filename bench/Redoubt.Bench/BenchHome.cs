using Redoubt.Bench.Clusters;
using Redoubt.Bench.Reporting;

namespace Redoubt.Bench;

/// <summary>
/// The run's temporary folder (/tmp/redoubt-bench-PID-…): one sub-folder per setup, and the control-plane log beside it.
/// Every process the bench starts has a config under it, which is how leftovers are found and killed.
/// </summary>
internal sealed class BenchHome : IDisposable
{
    private const string Prefix = "redoubt-bench-";

    public BenchHome(bool keep)
    {
        Keep = keep;
        Root = Path.Combine(Path.GetTempPath(), $"{Prefix}{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}");
        Directory.CreateDirectory(Root);
        ControlPlaneLog = Root + ".log";
        Logger = new FileLoggerProvider(ControlPlaneLog);
    }

    public string Root { get; }

    public string ControlPlaneLog { get; }

    public FileLoggerProvider Logger { get; }

    public bool Keep { get; }

    public string For(string setup) => Path.Combine(Root, setup);

    /// <summary>Kills what earlier runs that were themselves killed left running, and removes their folders.</summary>
    public static int SweepAbandoned()
    {
        var killed = 0;
        foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), Prefix + "*"))
        {
            var name = Path.GetFileName(folder)[Prefix.Length..];
            var dash = name.IndexOf('-', StringComparison.Ordinal);
            if (dash > 0 && int.TryParse(name.AsSpan(0, dash), out var pid) && pid != Environment.ProcessId && !Signals.IsAlive(pid))
            {
                killed += Signals.KillEverythingUnder(folder);
                TryDelete(folder);
            }
        }

        return killed;
    }

    public void Dispose()
    {
        Signals.KillEverythingUnder(Root);
        Logger.Dispose();
        if (!Keep)
        {
            TryDelete(Root);
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A node's last log line raced the delete; the folder is under the temp directory anyway.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }
}
