// Web sessions: one hash per session (user, created, last seen, requests) with a sliding TTL: every request pushes
// the expiry out again, so a session lives while its user is active and goes away by itself when idle.
//
//   ./redoubt up -f examples/redis.yaml
//   ./redoubt credentials example -o json | dotnet run --project examples/apps -- sessions
using System.Collections.Concurrent;
using System.Globalization;
using Redoubt.Examples.Shared;
using StackExchange.Redis;

namespace Redoubt.Examples.Sessions;

public sealed class SessionStore(IDatabase redis, TimeSpan idleTimeout)
{
    private readonly ConcurrentDictionary<string, string> _created = new();
    private long _requests;
    private long _failedAttempts;
    private readonly ConcurrentDictionary<string, bool> _foundMissing = new();

    private static RedisKey Key(string sessionId) => $"session:{sessionId}";

    /// <summary>A new session for <paramref name="user"/>; its id is made here, so retrying the creation is harmless.</summary>
    public async Task<string> CreateAsync(string user, CancellationToken cancellationToken)
    {
        var sessionId = Guid.NewGuid().ToString("N");
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await Transient.RetryAsync(
            async () =>
            {
                // MULTI/EXEC: a session never exists without its expiry.
                var transaction = redis.CreateTransaction();
                _ = transaction.HashSetAsync(Key(sessionId), [new("user", user), new("created", now), new("lastSeen", now), new("requests", 0)]);
                _ = transaction.KeyExpireAsync(Key(sessionId), idleTimeout);
                return await transaction.ExecuteAsync();
            },
            () => Interlocked.Increment(ref _failedAttempts),
            cancellationToken);
        return sessionId;
    }

    /// <summary>A request in the session: counts it and slides the expiry. False when the session is gone (expired or logged out).</summary>
    public async Task<bool> TouchAsync(string sessionId, CancellationToken cancellationToken) =>
        await Transient.RetryAsync(
            async () =>
            {
                var transaction = redis.CreateTransaction();
                transaction.AddCondition(Condition.KeyExists(Key(sessionId)));
                _ = transaction.HashSetAsync(Key(sessionId), "lastSeen", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                _ = transaction.HashIncrementAsync(Key(sessionId), "requests");
                _ = transaction.KeyExpireAsync(Key(sessionId), idleTimeout);
                return await transaction.ExecuteAsync();
            },
            () => Interlocked.Increment(ref _failedAttempts),
            cancellationToken);

    /// <summary>The session's user, or null when there is no such session.</summary>
    public async Task<string?> UserOfAsync(string sessionId, CancellationToken cancellationToken)
    {
        var user = await Transient.RetryAsync(() => redis.HashGetAsync(Key(sessionId), "user"), null, cancellationToken);
        return user.HasValue ? user.ToString() : null;
    }

    public Task LogOutAsync(string sessionId, CancellationToken cancellationToken) =>
        Transient.RetryAsync(() => redis.KeyDeleteAsync(Key(sessionId)), null, cancellationToken);

    /// <summary>Every session created and acknowledged, with its user.</summary>
    public IReadOnlyDictionary<string, string> Created => _created;

    /// <summary>Users logging in and clicking around until <paramref name="stop"/>.</summary>
    public async Task<AppRun> RunAsync(CancellationToken stop)
    {
        var ids = new List<string>();
        var users = 0;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                if (ids.Count == 0 || Random.Shared.Next(5) == 0)
                {
                    var user = $"user-{users++.ToString(CultureInfo.InvariantCulture)}";
                    var id = await CreateAsync(user, stop);
                    _created[id] = user;
                    ids.Add(id);
                }
                else if (ids[Random.Shared.Next(ids.Count)] is var touched && !await TouchAsync(touched, stop))
                {
                    // Nobody logged out of it and it is well within its idle timeout: the user would be logged out.
                    _foundMissing[touched] = true;
                }

                Interlocked.Increment(ref _requests);
                if (!await Pace.ThinkAsync(stop))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped in the middle of a request: it was not acknowledged.
        }

        return new AppRun("sessions", Interlocked.Read(ref _requests), Interlocked.Read(ref _failedAttempts),
            $"{_created.Count} sessions created, {_foundMissing.Count} found missing while in use");
    }

    /// <summary>Sessions a request found gone (its touch saw no such key), though nobody logged out of them.</summary>
    public IReadOnlyCollection<string> FoundMissing => [.. _foundMissing.Keys];

    public long Operations => Interlocked.Read(ref _requests);
}
