using System.Diagnostics;
using Redoubt.Integration.Tests.Infrastructure;
using Redoubt.Platforms.Local;

namespace Redoubt.Integration.Tests.Local;

/// <summary>
/// How a control plane learns that a node it adopted (not its child) exited: from the process's pidfd, at once, with
/// no polling. Real processes, real signals.
/// </summary>
public sealed class ExitWatchTests
{
    [Fact]
    public async Task AWatchedProcessThatIsKilledIsReportedAtOnce()
    {
        using var process = Sleeper();
        var exited = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watch = ExitWatch.TryWatch(process.Id, () => true, exited.SetResult);
        Assert.True(watch is not null, "no pidfd for a running process: this kernel is older than 5.3, and adopted nodes are polled instead");

        Assert.False(exited.Task.IsCompleted);
        Processes.Signal(process.Id, Processes.SigKill);
        await exited.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task OnlyTheProcessesThatExitAreReportedAndAStoppedWatchStaysSilent()
    {
        using var killed = Sleeper();
        using var running = Sleeper();
        using var forgotten = Sleeper();
        // The callbacks capture the PIDs, not the Process objects: a report still on its way when the test ends must
        // not touch a disposed Process (on the thread pool, that would end the test host).
        int killedId = killed.Id, runningId = running.Id, forgottenId = forgotten.Id;
        var reports = new List<int>();
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watchKilled = ExitWatch.TryWatch(killedId, () => true, () => { lock (reports) { reports.Add(killedId); } first.SetResult(); });
        var watchRunning = ExitWatch.TryWatch(runningId, () => true, () => { lock (reports) { reports.Add(runningId); } });
        var watchForgotten = ExitWatch.TryWatch(forgottenId, () => true, () => { lock (reports) { reports.Add(forgottenId); } });
        Assert.NotNull(watchForgotten);

        // Stopped first, then killed: its exit is not reported. The other kill is, and the exits are seen in order.
        watchForgotten.Dispose();
        Processes.Signal(forgotten.Id, Processes.SigKill);
        await forgotten.WaitForExitAsync();
        Processes.Signal(killed.Id, Processes.SigKill);
        await first.Task.WaitAsync(TimeSpan.FromSeconds(10));

        lock (reports)
        {
            Assert.Equal([killedId], reports);
        }

        Assert.False(running.HasExited);
        watchRunning!.Dispose();
        running.Kill();
    }

    [Fact]
    public void AProcessThatIsNoLongerTheOneAdoptedIsNotWatched()
    {
        using var process = Sleeper();
        var called = false;
        // The PID was reused between the pid file's check and the pidfd: the caller's check fails, nothing is watched.
        Assert.Null(ExitWatch.TryWatch(process.Id, () => false, () => called = true));
        process.Kill();
        process.WaitForExit();
        Assert.False(called);
    }

    private static Process Sleeper() =>
        Process.Start(new ProcessStartInfo("sleep", "300") { UseShellExecute = false }) ?? throw new InvalidOperationException("could not start sleep");
}
