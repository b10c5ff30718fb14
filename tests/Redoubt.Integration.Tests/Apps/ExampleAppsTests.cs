using System.Diagnostics;
using System.Globalization;
using Redoubt.Client;
using Redoubt.Examples.Analytics;
using Redoubt.Examples.Cache;
using Redoubt.Examples.Jobs;
using Redoubt.Examples.Leaderboard;
using Redoubt.Examples.Notifications;
using Redoubt.Examples.Sessions;
using Redoubt.Examples.Shared;
using Redoubt.Integration.Tests.Infrastructure;
using Redoubt.Model;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Redoubt.Integration.Tests.Apps;

/// <summary>
/// Every example app under examples/apps runs its workload at the same time against real resources (the cache on one
/// that evicts, the others on one that persists) across a kill -9 of each master and then a planned switchover; then
/// what each app was told it kept is checked against what Redis holds.
/// </summary>
public sealed class ExampleAppsTests(ITestOutputHelper output)
{
    private const string AppsName = "apps";
    private const string CacheName = "cache";

    private const string Resources = """
        apiVersion: apps.cozystack.io/v1alpha1
        kind: Redis
        metadata:
          name: apps
        spec: {}
        ---
        apiVersion: apps.cozystack.io/v1alpha1
        kind: Redis
        metadata:
          name: cache
        spec:
          size: ""
          maxmemory: 32Mi
          maxmemoryPolicy: allkeys-lru
        """;

    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(75);

    [Fact]
    public async Task EveryAppKeepsWhatItWasToldItHasAcrossAKillAndASwitchover()
    {
        var clock = Stopwatch.StartNew();
        using var deadline = new CancellationTokenSource(Limit);
        var ct = deadline.Token;
        await using var cluster = await LocalCluster.StartAsync(output);
        await cluster.ApplyAsync(Resources);
        await cluster.WaitReadyAsync(AppsName);
        await cluster.WaitReadyAsync(CacheName);

        // Each app connects as a service of its own would, the way `redoubt credentials` says.
        var connections = new List<RedoubtConnection>();
        var keep = new List<ConnectionMultiplexer>();
        try
        {
            async Task<RedoubtConnection> ConnectAsync(string name)
            {
                var credentials = (await cluster.ControlPlane.GetCredentialsAsync("default", name, ct))!;
                var connection = await RedoubtConnection.ConnectAsync(credentials.Sentinels, credentials.MasterName, credentials.Password, cancellationToken: ct);
                connections.Add(connection);
                return connection;
            }

            var cache = new ProductCache((await ConnectAsync(CacheName)).GetDatabase(), TimeSpan.FromMinutes(10));
            var sessionsDb = (await ConnectAsync(AppsName)).GetDatabase();
            var sessions = new SessionStore(sessionsDb, TimeSpan.FromMinutes(30));
            var jobsDb = (await ConnectAsync(AppsName)).GetDatabase();
            var jobs = new JobQueue(jobsDb);
            using var notifications = new OrderNotifications((await ConnectAsync(AppsName)).Multiplexer, (await ConnectAsync(AppsName)).Multiplexer);
            var leaderboardDb = (await ConnectAsync(AppsName)).GetDatabase();
            var leaderboard = new Leaderboard(leaderboardDb, "leaderboard:season-1");
            var analyticsDb = (await ConnectAsync(AppsName)).GetDatabase();
            var analytics = new PageAnalytics(analyticsDb);

            (string App, Func<long> Progress)[] progress =
            [
                ("cache", () => cache.Hits + cache.Misses + cache.ServedWithoutCache),
                ("sessions", () => sessions.Operations),
                ("jobs", () => jobs.Processed.Count),
                ("notifications", () => notifications.PublishedCount),
                ("leaderboard", () => leaderboard.Operations),
                ("analytics", () => analytics.Operations),
            ];

            using var stop = new CancellationTokenSource();
            var runs = new List<Task<AppRun>>
            {
                Task.Run(() => cache.RunAsync(stop.Token), CancellationToken.None),
                Task.Run(() => sessions.RunAsync(stop.Token), CancellationToken.None),
                Task.Run(() => jobs.RunAsync(stop.Token), CancellationToken.None),
                Task.Run(() => notifications.RunAsync(stop.Token), CancellationToken.None),
                Task.Run(() => leaderboard.RunAsync(stop.Token), CancellationToken.None),
                Task.Run(() => analytics.RunAsync(stop.Token), CancellationToken.None),
            };
            await EveryAppProgressesAsync(progress, runs, "the start", ct);

            // kill -9 of both masters at once.
            var killed = new List<(string Name, NodeStatus Master)>();
            foreach (var name in new[] { AppsName, CacheName })
            {
                var master = (await cluster.WaitReadyAsync(name)).Status!.Nodes.Single(n => n.Role == "master");
                killed.Add((name, master));
            }

            foreach (var (_, master) in killed)
            {
                Processes.Signal(master.Pid!.Value, Processes.SigKill);
            }

            output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: killed {string.Join(", ", killed.Select(k => $"{k.Name}'s master {k.Master.Name}"))}");
            foreach (var (name, master) in killed)
            {
                await cluster.WaitUntilAsync(name, r => r.Status is { Phase: Phases.Ready } s && s.Master != master.Address && s.Nodes.All(n => n.Pid != master.Pid), $"{name}: Ready with a new master after the kill");
            }

            await EveryAppProgressesAsync(progress, runs, "the kill -9", ct);

            // A planned switchover of both.
            foreach (var name in new[] { AppsName, CacheName })
            {
                var before = (await cluster.WaitReadyAsync(name)).Status!.Master;
                var switchover = await cluster.ControlPlane.FailoverAsync("default", name, null, ct);
                Assert.True(switchover.Succeeded, $"{name}: switchover failed: {switchover.Message}");
                output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: {name} switched over from {switchover.From} to {switchover.To}, writes paused {switchover.WritePauseMs:F0} ms");
                await cluster.WaitUntilAsync(name, r => r.Status is { Phase: Phases.Ready } s && s.Master != before, $"{name}: Ready with the new master after the switchover");
            }

            await EveryAppProgressesAsync(progress, runs, "the switchover", ct);

            // The cache resource's master, as it is now, evicted keys to stay under maxmemory.
            var cacheMaster = (await cluster.WaitReadyAsync(CacheName)).Status!.Master!;
            var evicted = await EvictedKeysAsync(cluster, cacheMaster, keep, ct);

            await stop.CancelAsync();
            var results = (await Task.WhenAll(runs).WaitAsync(ct)).ToDictionary(r => r.App);
            foreach (var result in results.Values)
            {
                output.WriteLine(result.ToString());
            }

            var outcomes = new List<AppOutcome>
            {
                new("cache", results["cache"].Operations, 0, 0,
                    $"{cache.Hits} hits, {cache.Misses} misses, {cache.ErrorsSurfaced} errors to callers, {cache.WrongValues} wrong values, {cache.ServedWithoutCache} served from the source while Redis was unreachable, {cache.CacheWritesRefused} values refused by Redis, evicted_keys {evicted} on the master"),
                await SessionsOutcomeAsync(sessions, sessionsDb, results["sessions"], ct),
                await JobsOutcomeAsync(jobs, jobsDb, results["jobs"], ct),
                new("notifications", results["notifications"].Operations, results["notifications"].FailedAttempts, notifications.LostForGood,
                    $"{notifications.LostOverPubSub} of {notifications.PublishedCount} not delivered by pub/sub, caught up from the stream"),
                await LeaderboardOutcomeAsync(leaderboard, leaderboardDb, results["leaderboard"], ct),
                await AnalyticsOutcomeAsync(analytics, analyticsDb, results["analytics"], ct),
            };

            output.WriteLine($"\nafter a kill -9 of each master and a planned switchover ({clock.Elapsed.TotalSeconds:F0} s in all):");
            output.WriteLine(AppOutcome.Header);
            foreach (var outcome in outcomes)
            {
                output.WriteLine(outcome.ToString());
            }

            Assert.Equal(0, cache.ErrorsSurfaced);
            Assert.Equal(0, cache.WrongValues);
            Assert.True(evicted > 0, $"the cache's master {cacheMaster} evicted no key: maxmemory 32Mi with allkeys-lru should have been reached (check the workload's key range and value size)");
            Assert.True(cache.CacheWritesRefused == 0, $"Redis refused {cache.CacheWritesRefused} cache writes ({cache.LastRefusal}): allkeys-lru should have evicted instead");
            Assert.True(notifications.LostForGood == 0, $"{notifications.LostForGood} acknowledged notifications are in neither pub/sub's deliveries nor the stream");
            Assert.All(outcomes, o => Assert.True(o.Lost == 0, $"{o.App} lost {o.Lost}: {o.Note}"));
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }

            foreach (var mux in keep)
            {
                await mux.DisposeAsync();
            }
        }
    }

    /// <summary>Waits until every app has done more since <paramref name="after"/>; an app that died shows its exception here.</summary>
    private async Task EveryAppProgressesAsync((string App, Func<long> Progress)[] apps, List<Task<AppRun>> runs, string after, CancellationToken ct)
    {
        const int More = 100;
        var goals = apps.Select(a => a.Progress() + More).ToArray();
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (runs.FirstOrDefault(r => r.IsCompleted) is { } ended)
            {
                await ended;
                Assert.Fail("an app stopped by itself while the test ran");
            }

            var behind = apps.Where((a, i) => a.Progress() < goals[i]).Select(a => a.App).ToList();
            if (behind.Count == 0)
            {
                output.WriteLine($"every app did {More} more operations after {after} within {clock.ElapsedMilliseconds} ms");
                return;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"after {after}, {string.Join(", ", behind)} did not do {More} more operations within 20 s: check the app's retries and that the resource has a master");
            await Task.Delay(50, ct);
        }
    }

    /// <summary>INFO stats evicted_keys on <paramref name="master"/>, polled until above zero (the workload keeps filling it) or 20 s.</summary>
    private static async Task<long> EvictedKeysAsync(LocalCluster cluster, string master, List<ConnectionMultiplexer> keep, CancellationToken ct)
    {
        var node = await cluster.DirectAsync(CacheName, master, keep);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var stats = (string)(await node.ExecuteAsync("INFO", "stats").WaitAsync(TimeSpan.FromSeconds(5), ct))!;
            var line = stats.Split('\n').Single(l => l.StartsWith("evicted_keys:", StringComparison.Ordinal));
            var evicted = long.Parse(line["evicted_keys:".Length..].Trim(), CultureInfo.InvariantCulture);
            if (evicted > 0 || clock.Elapsed > TimeSpan.FromSeconds(20))
            {
                return evicted;
            }

            await Task.Delay(100, ct);
        }
    }

    /// <summary>Every session whose creation was acknowledged is there, for its user, with an expiry.</summary>
    private static async Task<AppOutcome> SessionsOutcomeAsync(SessionStore sessions, IDatabase db, AppRun run, CancellationToken ct)
    {
        var created = sessions.Created.ToList();
        var users = await Task.WhenAll(created.Select(s => db.HashGetAsync($"session:{s.Key}", "user"))).WaitAsync(ct);
        var ttls = await Task.WhenAll(created.Select(s => db.KeyTimeToLiveAsync($"session:{s.Key}"))).WaitAsync(ct);
        var lost = created.Where((s, i) => users[i] != s.Value || ttls[i] is null).Count();
        // A session a request found missing but that is there now was not lost: a read was answered by a node that
        // did not have it yet (the restarted old master, before the client saw it was no longer the master).
        var missingForAMoment = sessions.FoundMissing.Count(id => sessions.Created.ContainsKey(id));
        return new AppOutcome("sessions", run.Operations, run.FailedAttempts, lost,
            $"{created.Count} sessions acknowledged; {missingForAMoment} found missing by a request for a moment, there since");
    }

    /// <summary>Every acknowledged job processed at least once; the dead worker's jobs taken over and none left pending with it.</summary>
    private static async Task<AppOutcome> JobsOutcomeAsync(JobQueue jobs, IDatabase db, AppRun run, CancellationToken ct)
    {
        var unprocessed = jobs.Enqueued.Count(j => !jobs.Processed.ContainsKey(j));
        var pendingWithTheDead = await db.StreamPendingMessagesAsync(JobQueue.Stream, JobQueue.Group, 100, "worker-doomed").WaitAsync(ct);
        Assert.True(jobs.Abandoned.Count > 0, "the doomed worker took no job before dying, so no takeover was tested");
        Assert.All(jobs.Abandoned, j => Assert.True(jobs.Processed.ContainsKey(j), $"{j}, abandoned by the dead worker, was never taken over"));
        Assert.True(jobs.Claimed >= jobs.Abandoned.Count, $"XAUTOCLAIM took over {jobs.Claimed} jobs, fewer than the {jobs.Abandoned.Count} the dead worker held");
        Assert.True(pendingWithTheDead.Length == 0, $"{pendingWithTheDead.Length} jobs are still pending with the dead worker");
        return new AppOutcome("jobs", run.Operations, run.FailedAttempts, unprocessed,
            $"{jobs.Enqueued.Count} jobs acknowledged, {jobs.Processed.Values.Count(n => n > 1)} processed more than once, {jobs.Abandoned.Count} of a dead worker taken over by XAUTOCLAIM");
    }

    /// <summary>Each player's score lies between the acknowledged points and those plus the failed attempts'.</summary>
    private static async Task<AppOutcome> LeaderboardOutcomeAsync(Leaderboard leaderboard, IDatabase db, AppRun run, CancellationToken ct)
    {
        var expected = leaderboard.ExpectedScores.ToList();
        var scores = await Task.WhenAll(expected.Select(e => db.SortedSetScoreAsync("leaderboard:season-1", e.Key))).WaitAsync(ct);
        var lost = expected.Select((e, i) => Math.Max(0, e.Value.AtLeast - (long)(scores[i] ?? 0))).Sum();
        var above = expected.Where((e, i) => (scores[i] ?? 0) > e.Value.AtMost).Select(e => e.Key).ToList();
        Assert.True(above.Count == 0, $"players with more points than were ever sent: {string.Join(", ", above)}");
        return new AppOutcome("leaderboard", run.Operations, run.FailedAttempts, lost,
            $"{expected.Count} players, every score within [acknowledged, acknowledged + failed attempts]; lost counts points");
    }

    /// <summary>Each minute's counter between its bounds; each day's unique visitors within HyperLogLog's error of those sent.</summary>
    private static async Task<AppOutcome> AnalyticsOutcomeAsync(PageAnalytics analytics, IDatabase db, AppRun run, CancellationToken ct)
    {
        var views = analytics.ExpectedViews.ToList();
        var counters = await Task.WhenAll(views.Select(v => db.StringGetAsync(v.Key))).WaitAsync(ct);
        var lost = views.Select((v, i) => Math.Max(0, v.Value.AtLeast - (counters[i].HasValue ? (long)counters[i] : 0))).Sum();
        var above = views.Where((v, i) => (counters[i].HasValue ? (long)counters[i] : 0) > v.Value.AtMost).Select(v => v.Key).ToList();
        Assert.True(above.Count == 0, $"minute counters above every increment ever sent: {string.Join(", ", above)}");

        var visitors = analytics.ExpectedVisitors.ToList();
        var counted = await Task.WhenAll(visitors.Select(v => db.HyperLogLogLengthAsync(v.Key))).WaitAsync(ct);
        for (var i = 0; i < visitors.Count; i++)
        {
            var (acknowledged, atMost) = visitors[i].Value;
            // Standard error 0.81%: 3% is well over three standard errors.
            Assert.InRange(counted[i], (long)Math.Floor(acknowledged * 0.97), (long)Math.Ceiling(atMost * 1.03));
        }

        return new AppOutcome("analytics", run.Operations, run.FailedAttempts, lost,
            $"{views.Count} minute counters within [acknowledged, acknowledged + failed attempts], unique visitors of {visitors.Count} pages within 3%; lost counts views");
    }
}
