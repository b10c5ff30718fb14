using System.Diagnostics;
using System.Net;
using Redoubt.Integration.Tests.Infrastructure;
using Redoubt.Model;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Redoubt.Integration.Tests.Local;

/// <summary>
/// What every Sentinel tells clients across a failover, polled on each of them every few milliseconds beside the
/// nodes' own ROLE: after a kill -9 of the master and after a planned switchover, every Sentinel (the one that led the
/// failover included) names the new master, in GET-MASTER-ADDR-BY-NAME and in SENTINEL MASTERS, right after the
/// promotion and within milliseconds of each other, and from the fault on none ever names a node other than the old
/// or the new master, nor goes back.
/// Left to itself, the leader names the new master only on its next INFO to it, up to a second after the promotion.
/// </summary>
public sealed class SentinelAgreementTests(ITestOutputHelper output)
{
    private const string Name = "agree";

    /// <summary>
    /// How far apart the first and the last Sentinel may stop naming the old master: they are told at once, so a few
    /// milliseconds apart; a leader left to confirm by itself lags the others by up to 1000 ms (400 on average).
    /// </summary>
    private const double SpreadMs = 100;

    /// <summary>
    /// The bound on each Sentinel's delay after the promotion, with room for a test machine running other suites: the
    /// hand-over takes milliseconds on an idle one (the storm benchmark measures it).
    /// </summary>
    private const double BoundMs = 500;

    [Fact]
    public async Task EverySentinelNamesTheNewMasterRightAfterThePromotionAndNeverGoesBack()
    {
        await using var cluster = await LocalCluster.StartAsync(output);
        await cluster.ApplyAsync($"""
            apiVersion: apps.cozystack.io/v1alpha1
            kind: Redis
            metadata:
              name: {Name}
            spec:
              replicas: 3
            """);
        var before = (await cluster.WaitReadyAsync(Name)).Status!;

        // kill -9 of the master.
        var killed = before.Nodes.Single(n => n.Role == "master");
        await using (var watch = await AgreementWatch.StartAsync(cluster, before))
        {
            var fault = Stopwatch.GetTimestamp();
            Processes.Signal(killed.Pid!.Value, Processes.SigKill);
            var after = (await cluster.WaitUntilAsync(Name, r => r.Status is { Phase: Phases.Ready } s && s.Master != killed.Address, "Ready with a new master after the kill")).Status!;
            await watch.SettleAsync();
            watch.AssertAgreement("kill -9", fault, killed.Address!, after.Master!, output);
        }

        // A planned switchover.
        var current = (await cluster.WaitReadyAsync(Name)).Status!;
        await using (var watch = await AgreementWatch.StartAsync(cluster, current))
        {
            var fault = Stopwatch.GetTimestamp();
            var switchover = await cluster.ControlPlane.FailoverAsync("default", Name, null, CancellationToken.None);
            Assert.True(switchover.Succeeded, $"switchover failed: {switchover.Message}");
            var after = (await cluster.WaitUntilAsync(Name, r => r.Status is { Phase: Phases.Ready } s && s.Master != current.Master, "Ready with the new master after the switchover")).Status!;
            await watch.SettleAsync();
            watch.AssertAgreement("switchover", fault, current.Master!, after.Master!, output);
        }
    }

    /// <summary>One poller per node (ROLE) and per Sentinel (both questions), each on a connection of its own.</summary>
    private sealed class AgreementWatch : IAsyncDisposable
    {
        private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(5);

        private readonly List<ConnectionMultiplexer> _connections = [];
        private readonly List<Task> _loops = [];
        private readonly CancellationTokenSource _stop = new();
        private readonly Lock _lock = new();
        private readonly List<(string Source, long At, string? Answer)> _answers = [];
        private IReadOnlyList<string> _sentinels = [];

        public static async Task<AgreementWatch> StartAsync(LocalCluster cluster, RedisStatus status)
        {
            var watch = new AgreementWatch { _sentinels = status.Sentinels };
            foreach (var node in status.Nodes)
            {
                var server = await watch.ConnectAsync(cluster, node.Address!, sentinel: false);
                watch.Poll($"role {node.Address}", async () => (await server.RoleAsync()) is Role.Master ? "master" : "replica");
            }

            foreach (var sentinel in status.Sentinels)
            {
                var server = await watch.ConnectAsync(cluster, sentinel, sentinel: true);
                watch.Poll($"get-master-addr {sentinel}", async () => Format(await server.SentinelGetMasterAddressByNameAsync(status.MasterName)));
                watch.Poll($"masters {sentinel}", async () =>
                {
                    var fields = (await server.SentinelMastersAsync()).Single().ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
                    return $"{fields["ip"]}:{fields["port"]}";
                });
            }

            return watch;
        }

        private async Task<IServer> ConnectAsync(LocalCluster cluster, string address, bool sentinel)
        {
            var connection = await cluster.AdminOnAsync(Name, address, sentinel);
            _connections.Add(connection);
            return connection.GetServer(address);
        }

        private static string? Format(EndPoint? endpoint) => endpoint switch
        {
            IPEndPoint ip => $"{ip.Address}:{ip.Port}",
            DnsEndPoint dns => $"{dns.Host}:{dns.Port}",
            _ => null,
        };

        private void Poll(string source, Func<Task<string?>> ask) => _loops.Add(Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                string? answer;
                try
                {
                    answer = await ask();
                }
                catch (RedisException)
                {
                    answer = null;
                }

                lock (_lock)
                {
                    _answers.Add((source, Stopwatch.GetTimestamp(), answer));
                }

                await Task.Delay(Period).ConfigureAwait(false);
            }
        }));

        /// <summary>A second more of answers after the resource is Ready again: long enough to see a Sentinel go back.</summary>
        public async Task SettleAsync()
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            await _stop.CancelAsync();
            await Task.WhenAll(_loops);
        }

        public void AssertAgreement(string fault, long faultAt, string oldMaster, string newMaster, ITestOutputHelper output)
        {
            List<(string Source, long At, string? Answer)> answers;
            lock (_lock)
            {
                answers = [.. _answers.Where(a => a.At >= faultAt).OrderBy(a => a.At)];
            }

            var promotion = answers.FirstOrDefault(a => a.Source == $"role {newMaster}" && a.Answer == "master");
            Assert.True(promotion.Source is not null, $"{fault}: {newMaster} was never seen answering ROLE as master");
            var delays = new List<(string Source, double Ms)>();
            var report = new List<string>();
            foreach (var sentinel in _sentinels)
            {
                foreach (var question in new[] { "get-master-addr", "masters" })
                {
                    var source = $"{question} {sentinel}";
                    var said = answers.Where(a => a.Source == source && a.Answer is not null).ToList();
                    var stranger = said.FirstOrDefault(a => a.Answer != oldMaster && a.Answer != newMaster);
                    Assert.True(stranger.Source is null, $"{fault}: {source} named {stranger.Answer}, neither the old master {oldMaster} nor the new one {newMaster}");
                    var first = said.FindIndex(a => a.Answer == newMaster);
                    Assert.True(first >= 0, $"{fault}: {source} never named the new master {newMaster}");
                    var back = said.Skip(first).FirstOrDefault(a => a.Answer != newMaster);
                    Assert.True(back.Source is null, $"{fault}: {source} named {newMaster} and then {back.Answer} again");

                    // How long after the promotion this Sentinel still sent a client to the old master: its last such
                    // answer, not its first answer naming the new one, so that a poller that got no answer for a while
                    // (a test machine stalling every process at once) is not taken for a Sentinel that was late.
                    var lastOld = first > 0 ? Stopwatch.GetElapsedTime(promotion.At, said[first - 1].At).TotalMilliseconds : double.NegativeInfinity;
                    delays.Add((source, Math.Max(0, lastOld)));
                    var silence = said.Zip(said.Skip(1), (a, b) => Stopwatch.GetElapsedTime(a.At, b.At).TotalMilliseconds).DefaultIfEmpty(0).Max();
                    var firstNew = Stopwatch.GetElapsedTime(promotion.At, said[first].At).TotalMilliseconds;
                    report.Add($"{source}: old master last named {(first > 0 ? $"{lastOld:F0} ms" : "never")}, new master first named {firstNew:F0} ms, longest silence {silence:F0} ms");
                }
            }

            var named = string.Join("; ", report);
            output.WriteLine($"{fault}: promotion of {newMaster} seen {Stopwatch.GetElapsedTime(faultAt, promotion.At).TotalMilliseconds:F0} ms after the fault; after the promotion, {named}");
            // What clients ask (GET-MASTER-ADDR-BY-NAME) is bounded. SENTINEL MASTERS is checked for strays and
            // flip-backs only: a leader that confirmed the promotion by itself before the hand-over shows the old
            // address there until its failover ends (1.1 s seen), while it already answers clients with the new one.
            delays = [.. delays.Where(d => d.Source.StartsWith("get-master-addr", StringComparison.Ordinal))];
            Assert.True(delays.All(d => d.Ms <= BoundMs), $"{fault}: not every Sentinel stopped naming the old master within {BoundMs} ms of the promotion: {named}");
            var spread = delays.Max(d => d.Ms) - delays.Min(d => d.Ms);
            Assert.True(spread <= SpreadMs, $"{fault}: the Sentinels stopped naming the old master {spread:F0} ms apart (at most {SpreadMs} ms): {named}");
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await Task.WhenAll(_loops);
            foreach (var connection in _connections)
            {
                await connection.DisposeAsync();
            }

            _stop.Dispose();
        }
    }
}
