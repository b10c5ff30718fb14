using System.Runtime.InteropServices;

namespace Redoubt.Platforms.Local;

/// <summary>
/// Tells when processes that are not our children exit (nodes a previous control plane started, adopted from their
/// pid files), without polling: a pidfd (Linux 5.3 and newer) becomes readable the moment its process exits, and one
/// thread waits in poll(2) on all of them. Polling /proc every 50 ms for each of 60 adopted nodes was two thirds of an
/// idle control plane's CPU after a restart. Where pidfds are not available, <see cref="TryWatch"/> says so and the
/// caller polls.
/// </summary>
internal static partial class ExitWatch
{
    private const int PidfdOpenSyscall = 434; // The same number on every Linux architecture.
    private const short PollIn = 0x001;
    private const int EfdCloexec = 0x80000;
    private const int EfdNonblock = 0x800;

    private static readonly Lock Gate = new();
    private static readonly Dictionary<int, Watched> ByDescriptor = [];
    private static int _wakeDescriptor = -1;

    /// <summary>
    /// The watcher's execution context (its logging scope) goes with the callback. <see cref="Stopped"/> is set by
    /// the subscription's Dispose: an exit already taken from poll(2) but not yet reported is then dropped.
    /// </summary>
    private sealed record Watched(int Descriptor, Action Exited, ExecutionContext? Context)
    {
        public volatile bool Stopped;
    }

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long PidfdOpen(long number, int pid, uint flags);

    [LibraryImport("libc", EntryPoint = "eventfd", SetLastError = true)]
    private static partial int EventFd(uint initial, int flags);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static partial int Poll([In, Out] PollDescriptor[] descriptors, nuint count, int timeoutMs);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static partial nint Read(int descriptor, ref ulong buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static partial nint Write(int descriptor, ref ulong buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int descriptor);

    [StructLayout(LayoutKind.Sequential)]
    private struct PollDescriptor
    {
        public int Descriptor;
        public short Events;
        public short Returned;
    }

    /// <summary>
    /// Calls <paramref name="exited"/> (on the thread pool) once process <paramref name="pid"/> exits; dispose the
    /// result to stop watching. Null when no pidfd could be opened: the kernel is older than 5.3, or the process is
    /// gone already (the caller checks that itself). <paramref name="stillTheSame"/> runs once the pidfd is open, so
    /// that a PID reused in between is never watched in place of the node.
    /// </summary>
    public static IDisposable? TryWatch(int pid, Func<bool> stillTheSame, Action exited)
    {
        var descriptor = (int)PidfdOpen(PidfdOpenSyscall, pid, 0);
        if (descriptor < 0)
        {
            return null;
        }

        if (!stillTheSame())
        {
            _ = Close(descriptor);
            return null;
        }

        Watched watched;
        lock (Gate)
        {
            if (_wakeDescriptor < 0)
            {
                _wakeDescriptor = EventFd(0, EfdCloexec | EfdNonblock);
                if (_wakeDescriptor < 0)
                {
                    _ = Close(descriptor);
                    return null;
                }

                // Started without the first watcher's context: each callback runs in its own watcher's.
                using (ExecutionContext.SuppressFlow())
                {
                    new Thread(Run) { IsBackground = true, Name = "Redoubt exit watch" }.Start();
                }
            }

            watched = new Watched(descriptor, exited, ExecutionContext.Capture());
            ByDescriptor[descriptor] = watched;
        }

        Wake();
        return new Subscription(watched);
    }

    private sealed class Subscription(Watched watched) : IDisposable
    {
        public void Dispose()
        {
            watched.Stopped = true;
            bool removed;
            lock (Gate)
            {
                removed = ByDescriptor.Remove(watched.Descriptor);
            }

            if (removed)
            {
                Wake();
            }
        }
    }

    private static void Wake()
    {
        ulong one = 1;
        Write(_wakeDescriptor, ref one, sizeof(ulong));
    }

    private static void Notify(Watched watched)
    {
        if (watched.Stopped)
        {
            return;
        }

        if (watched.Context is { } context)
        {
            ExecutionContext.Run(context, static state => ((Action)state!)(), watched.Exited);
        }
        else
        {
            watched.Exited();
        }
    }

    /// <summary>Descriptors removed while poll(2) waits on them are closed here, after the call returns, never under it.</summary>
    private static void Run()
    {
        var open = new HashSet<int>();
        while (true)
        {
            Watched[] watched;
            lock (Gate)
            {
                watched = [.. ByDescriptor.Values];
            }

            foreach (var stale in open.Where(d => watched.All(w => w.Descriptor != d)).ToList())
            {
                _ = Close(stale);
                open.Remove(stale);
            }

            open.UnionWith(watched.Select(w => w.Descriptor));
            var descriptors = new PollDescriptor[watched.Length + 1];
            descriptors[0] = new PollDescriptor { Descriptor = _wakeDescriptor, Events = PollIn };
            for (var i = 0; i < watched.Length; i++)
            {
                descriptors[i + 1] = new PollDescriptor { Descriptor = watched[i].Descriptor, Events = PollIn };
            }

            if (Poll(descriptors, (nuint)descriptors.Length, -1) <= 0)
            {
                continue; // EINTR
            }

            if (descriptors[0].Returned != 0)
            {
                ulong count = 0;
                Read(_wakeDescriptor, ref count, sizeof(ulong));
            }

            for (var i = 0; i < watched.Length; i++)
            {
                if (descriptors[i + 1].Returned == 0)
                {
                    continue;
                }

                bool current;
                lock (Gate)
                {
                    current = ByDescriptor.Remove(watched[i].Descriptor);
                }

                _ = Close(watched[i].Descriptor);
                open.Remove(watched[i].Descriptor);
                if (current)
                {
                    ThreadPool.UnsafeQueueUserWorkItem(static w => Notify(w), watched[i], preferLocal: false);
                }
            }
        }
    }
}
