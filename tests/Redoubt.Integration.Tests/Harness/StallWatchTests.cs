using System.Diagnostics;
using Redoubt.Integration.Tests.Infrastructure;

namespace Redoubt.Integration.Tests.Harness;

/// <summary>
/// The stall watch, which a timed-out test quotes to say whether the process stood still, sees a real stop of the
/// test process: a child stops its parent with SIGSTOP and resumes it 1.2 s later. Alone, after the others: every
/// test in the process stands still meanwhile.
/// </summary>
[Collection(HeavyLoad.Name)]
public sealed class StallWatchTests
{
    [Fact]
    public async Task AProcessStoppedForASecondIsReportedAsAProcessStall()
    {
        StallWatch.Start();
        var before = DateTime.UtcNow;
        var start = new ProcessStartInfo("sh") { UseShellExecute = false };
        foreach (var argument in (string[])["-c", "kill -STOP \"$0\"; sleep 1.2; kill -CONT \"$0\"", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            start.ArgumentList.Add(argument);
        }

        using (var child = Process.Start(start)!)
        {
            await child.WaitForExitAsync();
            Assert.Equal(0, child.ExitCode);
        }

        // The watch records the stall on its first tick after the resume.
        var clock = Stopwatch.StartNew();
        IReadOnlyList<string> stalls;
        while ((stalls = StallWatch.Since(before)).Count == 0 && clock.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(50);
        }

        var stall = Assert.Single(stalls, s => s.StartsWith("stall: the process stood still", StringComparison.Ordinal));
        var milliseconds = int.Parse(stall.Split(' ')[5], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(milliseconds, 900, 5000);
    }
}
