using Redoubt.Model;

namespace Redoubt.Core.Reconcile;

/// <summary>The result of one pass: the status to report and when to look again (null: only on the next event).</summary>
public sealed record ReconcileOutcome(RedisStatus Status, TimeSpan? RequeueAfter);
