namespace Redoubt.Model;

/// <summary>
/// The defaults that differ between platforms. Only persistence does: on Kubernetes every node has a volume of its own
/// on its own machine, so a crash takes one node and its replicas hold what it had (the reference platform's RDB
/// snapshots are enough); on the local platform every node shares one machine, so a crash or power loss takes them all
/// at once and only what each node wrote to its disk survives.
/// </summary>
public sealed record PlatformDefaults(PersistenceMode PersistenceWithStorage)
{
    /// <summary>The reference platform's: RDB snapshots when there is a volume.</summary>
    public static readonly PlatformDefaults Reference = new(PersistenceMode.Rdb);

    /// <summary>
    /// One machine: an append-only file fsynced every second, so a machine crash loses at most about the last second of
    /// acknowledged writes (Redis writes each command to the file before it answers; the kernel holds at most a second
    /// of it unsynced). Its base is an RDB preamble, so a restart loads about as fast as from a snapshot.
    /// </summary>
    public static readonly PlatformDefaults Local = new(PersistenceMode.Aof);

    /// <summary>Persistence follows storage: <see cref="PersistenceWithStorage"/> when there is a volume, nothing for a pure cache.</summary>
    public PersistenceMode Persistence(string size) => size.Length == 0 ? PersistenceMode.None : PersistenceWithStorage;
}
