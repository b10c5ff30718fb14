using System.Diagnostics;

namespace Redoubt.Integration.Tests.Infrastructure;

/// <summary>
/// Notices when the test process could not run on time, and why, so that a test that timed out says whether Redoubt
/// was slow or the process (or the whole machine) stood still. A thread of its own wakes every 100 ms and records a
/// stall when it woke more than 500 ms late (the process, or the machine, was not running: a GC that suspended
/// every thread shows as GC pause time) or when a work item it queued on the thread pool waited more than 500 ms
/// (every pool thread busy or blocked: the healer, the writers and StackExchange.Redis's timeouts all wait on it).
/// Each record carries the machine's CPU and I/O pressure and steal time over the stall, from /proc.
/// </summary>
internal static class StallWatch
{
    private const int TickMs = 100;
    private const int StallMs = 500;
    private static readonly Lock Gate = new();
    private static readonly List<Stall> Stalls = [];
    private static readonly Stopwatch Clock = Stopwatch.StartNew();
    private static int _started;
    private static long _queuedAt = -1;

    /// <param name="Kind">"process" (the watch's own thread woke late) or "thread pool" (a queued item waited).</param>
    internal sealed record Stall(DateTime EndedUtc, string Kind, long Milliseconds, string Details);

    public static void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            new Thread(Run) { IsBackground = true, Name = "Redoubt test stall watch" }.Start();
        }
    }

    /// <summary>The stalls that ended after <paramref name="sinceUtc"/>, one line each; empty when there were none.</summary>
    public static IReadOnlyList<string> Since(DateTime sinceUtc)
    {
        lock (Gate)
        {
            return [.. Stalls.Where(s => s.EndedUtc >= sinceUtc).Select(s =>
                $"stall: the {s.Kind} stood still {s.Milliseconds} ms until {s.EndedUtc:HH:mm:ss.fff} ({s.Details})")];
        }
    }

    private static void Run()
    {
        var last = Clock.ElapsedMilliseconds;
        var machine = MachineSample.Read();
        var pauses = GC.GetTotalPauseDuration();
        // The queued item's wait as last seen, and the machine when it was queued.
        var (poolWaited, poolFrom, poolPauses) = (0L, machine, pauses);
        while (true)
        {
            Thread.Sleep(TickMs);
            var now = Clock.ElapsedMilliseconds;
            var late = now - last - TickMs;
            var nowMachine = MachineSample.Read();
            var nowPauses = GC.GetTotalPauseDuration();
            if (late > StallMs)
            {
                Record("process", late, machine, nowMachine, nowPauses - pauses);
            }

            // One item in flight at a time: while it waits, the pool's backlog is what is measured.
            var queued = Volatile.Read(ref _queuedAt);
            if (queued < 0)
            {
                if (poolWaited > StallMs)
                {
                    Record("thread pool", poolWaited, poolFrom, nowMachine, nowPauses - poolPauses);
                }

                (poolWaited, poolFrom, poolPauses) = (0, nowMachine, nowPauses);
                Volatile.Write(ref _queuedAt, now);
                ThreadPool.UnsafeQueueUserWorkItem(static _ => Volatile.Write(ref _queuedAt, -1), (object?)null, preferLocal: false);
            }
            else
            {
                poolWaited = now - queued;
            }

            last = now;
            machine = nowMachine;
            pauses = nowPauses;
        }
    }

    private static void Record(string kind, long milliseconds, MachineSample from, MachineSample to, TimeSpan gcPause)
    {
        var details = $"{to.Describe(from)}, GC pauses {gcPause.TotalMilliseconds:F0} ms, pool threads {ThreadPool.ThreadCount}, pending items {ThreadPool.PendingWorkItemCount}";
        lock (Gate)
        {
            Stalls.Add(new Stall(DateTime.UtcNow, kind, milliseconds, details));
        }
    }

    /// <summary>
    /// Cumulative counters of the machine: time some task waited for a CPU or for I/O (/proc/pressure, µs), and CPU
    /// time stolen by the hypervisor against all CPU time (/proc/stat, ticks).
    /// </summary>
    private readonly record struct MachineSample(long CpuWaitUs, long IoWaitUs, long StealTicks, long AllTicks)
    {
        public static MachineSample Read()
        {
            var (steal, all) = Cpu();
            return new(Pressure("cpu"), Pressure("io"), steal, all);
        }

        public string Describe(MachineSample from)
        {
            var all = Math.Max(1, AllTicks - from.AllTicks);
            return $"tasks waited {(CpuWaitUs - from.CpuWaitUs) / 1000} ms for a CPU and {(IoWaitUs - from.IoWaitUs) / 1000} ms for I/O, steal {100.0 * (StealTicks - from.StealTicks) / all:F0}%";
        }

        private static long Pressure(string resource)
        {
            try
            {
                // "some avg10=0.00 avg60=0.00 avg300=0.00 total=123"
                var first = File.ReadLines($"/proc/pressure/{resource}").First();
                return long.Parse(first[(first.LastIndexOf('=') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
                return 0;
            }
        }

        private static (long Steal, long All) Cpu()
        {
            // "cpu  user nice system idle iowait irq softirq steal guest guest_nice"
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var ticks = fields.Skip(1).Take(8).Select(f => long.Parse(f, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            return (ticks[7], ticks.Sum());
        }
    }
}
