using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Redoubt.Core;
using Redoubt.Core.Backup;
using Redoubt.Model;

namespace Redoubt.Platforms.Local.Backups;

/// <summary>
/// Takes the backups that resources' specs schedule (<see cref="BackupSpec"/>), one at a time, and keeps what the
/// status shows of them: the newest good backup, how many are kept, the next scheduled one and the last failure. A
/// schedule that fired while no control plane ran is caught up once, at start. A failed backup is tried again a
/// minute later, and says why in the status until one succeeds.
/// </summary>
internal sealed partial class BackupScheduler(LocalBackups backups, Func<IReadOnlyList<RedisResource>> resources, Action<string> changed, ILogger logger, TimeProvider time)
{
    public static readonly TimeSpan Tick = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan RetryAfterFailure = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, Plan> _plans = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Catalogue> _catalogues = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _unreadable = new(StringComparer.Ordinal);

    private sealed record Plan(string Schedule, DateTimeOffset Next, DateTimeOffset? FailureTime, string? Failure);

    /// <summary>What the status shows of the backups kept at <paramref name="Location"/> (a bucket is not asked on every get).</summary>
    private sealed record Catalogue(string Location, int Count, BackupManifest? Last);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await Task.Delay(Tick, time, cancellationToken).ConfigureAwait(false);
            var all = resources();
            foreach (var resource in all)
            {
                try
                {
                    if (Known(resource) is null)
                    {
                        await RefreshAsync(resource, cancellationToken).ConfigureAwait(false);
                    }

                    await RunDueAsync(resource, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // One resource's trouble must not stop the others' backups.
                    LogCrashed(logger, resource.Key, e);
                }
            }

            foreach (var gone in _plans.Keys.Except(all.Select(r => r.Key)))
            {
                _plans.TryRemove(gone, out _);
            }

            foreach (var gone in _catalogues.Keys.Except(all.Select(r => r.Key)))
            {
                _catalogues.TryRemove(gone, out _);
                _unreadable.TryRemove(gone, out _);
            }
        }
    }

    /// <summary>Takes the resource's scheduled backup if it is due.</summary>
    public async Task RunDueAsync(RedisResource resource, CancellationToken cancellationToken)
    {
        var key = resource.Key;
        if (BackupSchedule.Of(resource.Spec) is not { } schedule)
        {
            if (_plans.TryRemove(key, out _))
            {
                changed(key);
            }

            return;
        }

        var now = time.GetUtcNow();
        if (!_plans.TryGetValue(key, out var plan) || plan.Schedule != schedule.Text)
        {
            var last = Known(resource)?.Last?.Time;
            plan = new Plan(schedule.Text, schedule.NextAfter(last ?? now) ?? DateTimeOffset.MaxValue, null, null);
            _plans[key] = plan;
            if (plan.Next <= now)
            {
                LogCatchUp(logger, key, plan.Next);
            }

            changed(key);
        }

        if (plan.Next > now)
        {
            return;
        }

        try
        {
            await backups.TakeAsync(resource, schedule.Retention, cancellationToken).ConfigureAwait(false);
            await TakenAsync(resource, cancellationToken).ConfigureAwait(false);
            _plans[key] = new Plan(schedule.Text, schedule.NextAfter(now) ?? DateTimeOffset.MaxValue, null, null);
        }
        catch (RedoubtException e)
        {
            LogFailed(logger, key, e.Message, RetryAfterFailure.TotalSeconds);
            _plans[key] = plan with { Next = now + RetryAfterFailure, FailureTime = now, Failure = e.Message };
        }

        changed(key);
    }

    /// <summary>A backup was taken (scheduled or by hand): the status shows it from now on.</summary>
    public Task TakenAsync(RedisResource resource, CancellationToken cancellationToken)
    {
        _unreadable.TryRemove(resource.Key, out _);
        return RefreshAsync(resource, cancellationToken);
    }

    /// <summary>
    /// Reads the resource's catalogue where its backups are kept. One that cannot be read (a bucket out of reach) keeps
    /// what was known and is asked again a minute later, not on every tick.
    /// </summary>
    private async Task RefreshAsync(RedisResource resource, CancellationToken cancellationToken)
    {
        if (_unreadable.TryGetValue(resource.Key, out var failed) && time.GetUtcNow() - failed < RetryAfterFailure)
        {
            return;
        }

        try
        {
            using var store = backups.StoreFor(resource.Metadata.Namespace, resource.Metadata.Name, resource.Spec);
            var list = await store.ListAsync(cancellationToken).ConfigureAwait(false);
            _catalogues[resource.Key] = new Catalogue(store.Location, list.Count, list.Count > 0 ? list[^1] : null);
            _unreadable.TryRemove(resource.Key, out _);
            changed(resource.Key);
        }
        catch (RedoubtException e)
        {
            _unreadable[resource.Key] = time.GetUtcNow();
            LogUnreadable(logger, resource.Key, e.Message, RetryAfterFailure.TotalSeconds);
        }
    }

    /// <summary>What the status says of the resource's backups; null when it has none known and schedules none.</summary>
    public BackupStatus? StatusOf(RedisResource resource)
    {
        var catalogue = Known(resource);
        var plan = _plans.GetValueOrDefault(resource.Key);
        if (catalogue is not { Count: > 0 } && plan is null)
        {
            return null;
        }

        return new BackupStatus
        {
            Location = LocationOf(resource),
            Last = catalogue?.Last?.Id,
            LastTime = catalogue?.Last?.Time,
            LastSizeBytes = catalogue?.Last?.SizeBytes,
            LastDurationMs = catalogue?.Last?.DurationMs,
            Count = catalogue?.Count ?? 0,
            NextTime = plan?.Next == DateTimeOffset.MaxValue ? null : plan?.Next,
            LastFailureTime = plan?.FailureTime,
            LastFailure = plan?.Failure,
        };
    }

    /// <summary>The catalogue read where the resource's backups are kept now; null before one was read there.</summary>
    private Catalogue? Known(RedisResource resource) =>
        _catalogues.TryGetValue(resource.Key, out var known) && known.Location == LocationOf(resource) ? known : null;

    private string LocationOf(RedisResource resource) => backups.LocationOf(resource.Metadata.Namespace, resource.Metadata.Name, resource.Spec);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Resource}: the scheduled backup of {Due:u} was missed (no control plane ran then); taking it now")]
    private static partial void LogCatchUp(ILogger logger, string resource, DateTimeOffset due);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Resource}: its backups could not be listed: {Reason}; asking again in {Seconds:F0} s")]
    private static partial void LogUnreadable(ILogger logger, string resource, string reason, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Resource}: the backup schedule failed unexpectedly")]
    private static partial void LogCrashed(ILogger logger, string resource, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Resource}: scheduled backup failed: {Reason}; trying again in {Seconds:F0} s")]
    private static partial void LogFailed(ILogger logger, string resource, string reason, double seconds);
}
