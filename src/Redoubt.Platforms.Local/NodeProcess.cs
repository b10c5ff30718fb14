using System.Diagnostics;
using System.Globalization;
using Redoubt.Core.Platform;

namespace Redoubt.Platforms.Local;

/// <summary>
/// One supervised redis-server or redis-sentinel process. It runs in its own session (setsid) so that Ctrl-C in
/// the control plane's terminal or the control plane's death does not touch it; a restarted control plane adopts
/// it from its pid file. Unexpected exits are reported at once: children's by .NET, adopted ones' by their pidfd
/// (<see cref="ExitWatch"/>), or within a poll where the kernel has no pidfds.
/// </summary>
internal sealed class NodeProcess : IDisposable
{
    private static readonly TimeSpan AdoptedPoll = TimeSpan.FromMilliseconds(50);

    private readonly Process? _child;
    private readonly CancellationTokenSource _watch = new();
    private readonly Action<NodeProcess, string> _onExit;
    private IDisposable? _exitWatch;
    private int _exitReported;
    private volatile bool _stopping;

    private NodeProcess(string node, NodeKind kind, int pid, long startTime, bool adopted, Process? child, Action<NodeProcess, string> onExit)
    {
        Node = node;
        Kind = kind;
        Pid = pid;
        StartTime = startTime;
        Adopted = adopted;
        _child = child;
        _onExit = onExit;
        Since = DateTimeOffset.UtcNow;
    }

    public string Node { get; }
    public NodeKind Kind { get; }
    public int Pid { get; }
    public long StartTime { get; }
    public bool Adopted { get; }
    public DateTimeOffset Since { get; }
    public bool HasExited => Volatile.Read(ref _exitReported) == 1 || !Signals.IsAlive(Pid);

    public static NodeProcess Start(string binary, string configFile, string outputFile, string pidFile, string? netns, string node, NodeKind kind, Action<NodeProcess, string> onExit)
    {
        // sh only sets the umask, redirects and execs: the PID we get is redis itself, in a session of its own. `ip
        // netns exec` enters the namespace and execs too, so the PID stays the same. umask 077: whatever the node
        // writes (Sentinel's and CONFIG REWRITE's config files, with passwords; snapshots and AOF, with data; logs) is
        // its owner's alone, where Redis would make it 0644.
        var info = new ProcessStartInfo(netns is null ? "setsid" : "ip") { UseShellExecute = false };
        if (netns is not null)
        {
            foreach (var argument in (string[])["netns", "exec", netns, "setsid"])
            {
                info.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in (string[])["sh", "-c", "umask 077; exec \"$0\" \"$1\" </dev/null >>\"$2\" 2>&1", binary, configFile, outputFile])
        {
            info.ArgumentList.Add(argument);
        }

        var child = Process.Start(info) ?? throw new InvalidOperationException($"could not start {binary}");
        var startTime = Signals.ProcStat(child.Id)?.StartTime ?? 0;
        var process = new NodeProcess(node, kind, child.Id, startTime, adopted: false, child, onExit);
        AtomicFile.Write(pidFile, $"{child.Id.ToString(CultureInfo.InvariantCulture)} {startTime.ToString(CultureInfo.InvariantCulture)}\n");
        _ = process.WatchChildAsync();
        return process;
    }

    /// <summary>The process a previous control plane started, if it is still the same process.</summary>
    public static NodeProcess? Adopt(string pidFile, string node, NodeKind kind, Action<NodeProcess, string> onExit)
    {
        if (AtomicFile.ReadOrNull(pidFile)?.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) is not [var pidText, var startText]
            || !int.TryParse(pidText, CultureInfo.InvariantCulture, out var pid)
            || !long.TryParse(startText, CultureInfo.InvariantCulture, out var startTime))
        {
            return null;
        }

        if (Signals.ProcStat(pid) is not { } stat || stat.StartTime != startTime || !Signals.IsAlive(pid))
        {
            return null;
        }

        var process = new NodeProcess(node, kind, pid, startTime, adopted: true, child: null, onExit);
        process._exitWatch = ExitWatch.TryWatch(pid, () => Signals.ProcStat(pid) is { } now && now.StartTime == startTime && Signals.IsAlive(pid), () => process.Report("process gone"));
        if (process._exitWatch is null)
        {
            _ = process.PollAdoptedAsync();
        }

        return process;
    }

    /// <summary>SIGTERM (Redis saves and exits cleanly), SIGKILL after <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        _stopping = true;
        if (HasExited)
        {
            return;
        }

        Signals.Send(Pid, Signals.SigTerm);
        var deadline = Stopwatch.StartNew();
        while (!HasExited && deadline.Elapsed < grace)
        {
            await Task.Delay(20).ConfigureAwait(false);
        }

        if (!HasExited)
        {
            Signals.Send(Pid, Signals.SigKill);
            while (!HasExited && deadline.Elapsed < grace + TimeSpan.FromSeconds(5))
            {
                await Task.Delay(20).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Stops watching without touching the process (the control plane leaves, the node keeps serving).</summary>
    public void Detach()
    {
        _stopping = true;
        _watch.Cancel();
        _exitWatch?.Dispose();
    }

    private async Task WatchChildAsync()
    {
        try
        {
            await _child!.WaitForExitAsync(_watch.Token).ConfigureAwait(false);
            Report($"exit code {_child.ExitCode}");
        }
        catch (OperationCanceledException)
        {
            // Detached.
        }
    }

    private async Task PollAdoptedAsync()
    {
        try
        {
            while (Signals.IsAlive(Pid))
            {
                await Task.Delay(AdoptedPoll, _watch.Token).ConfigureAwait(false);
            }

            Report("process gone");
        }
        catch (OperationCanceledException)
        {
            // Detached.
        }
    }

    private void Report(string detail)
    {
        if (Interlocked.Exchange(ref _exitReported, 1) == 0 && !_stopping)
        {
            _onExit(this, detail);
        }
    }

    public void Dispose()
    {
        _watch.Cancel();
        _exitWatch?.Dispose();
        _watch.Dispose();
        _child?.Dispose();
    }
}
