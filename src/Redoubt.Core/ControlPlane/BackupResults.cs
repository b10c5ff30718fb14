using Redoubt.Core.Backup;

namespace Redoubt.Core.ControlPlane;

/// <summary>A backup just taken; <see cref="Warning"/> says when it had to come from the master; <see cref="Pruned"/> the old ones retention removed.</summary>
public sealed record BackupResult(BackupManifest Backup, string Location, string? Warning, IReadOnlyList<string> Pruned);

/// <summary>A restore done: which backup went into which resource, how many keys it held and how many arrived.</summary>
/// <param name="Created">The resource did not exist: it was created with the source's spec first.</param>
public sealed record RestoreResult(string Backup, string Namespace, string Name, bool Created, long KeysInBackup, long KeysRestored, double DurationMs);
