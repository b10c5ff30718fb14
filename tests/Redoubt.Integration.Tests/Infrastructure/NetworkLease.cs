namespace Redoubt.Integration.Tests.Infrastructure;

/// <summary>
/// A network number (the N of 127.N or 10.N) that one test holds until it disposes the lease, reserved through a lock
/// file for every test process on this machine: test classes run side by side, so do whole test runs from several
/// checkouts, and numbers derived from a counter and the process id collided between them. The lock is the
/// kernel's (flock, which .NET takes for FileShare.None), so a test process that dies releases its numbers.
/// </summary>
internal sealed class NetworkLease : IDisposable
{
    private static int _cursor = Environment.ProcessId;
    private readonly FileStream _lock;

    private NetworkLease(int number, FileStream @lock)
    {
        Number = number;
        _lock = @lock;
    }

    public int Number { get; }

    /// <summary>
    /// Takes a free number from <paramref name="first"/> to <paramref name="first"/>+<paramref name="count"/>-1 in
    /// <paramref name="pool"/>, skipping those <paramref name="usable"/> rejects (in use by something that takes no lease).
    /// </summary>
    public static NetworkLease Take(string pool, int first, int count, Func<int, bool>? usable = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "redoubt-tests", "leases");
        Directory.CreateDirectory(folder);
        for (var attempt = 0; attempt < count; attempt++)
        {
            // Start each search somewhere else, so processes starting together do not all contend for the first number.
            var number = first + (int)((uint)Interlocked.Increment(ref _cursor) % (uint)count);
            FileStream stream;
            try
            {
                stream = new FileStream(Path.Combine(folder, $"{pool}-{number}"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                continue; // Held by another test.
            }

            if (usable is not null && !usable(number))
            {
                stream.Dispose();
                continue;
            }

            return new NetworkLease(number, stream);
        }

        throw new InvalidOperationException($"every {pool} network number from {first} to {first + count - 1} is held by other tests on this machine (lock files in {folder}); wait for them or stop them");
    }

    public void Dispose() => _lock.Dispose();
}
