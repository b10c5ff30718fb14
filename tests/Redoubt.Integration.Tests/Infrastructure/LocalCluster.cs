using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Redoubt.Model;
using Redoubt.Platforms.Local;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Redoubt.Integration.Tests.Infrastructure;

/// <summary>
/// A real local control plane in a throw-away home, on a loopback network of its own (127.N.0.x, leased for the
/// cluster's lifetime) so that tests running side by side, in this test run or another, never compete for an address.
/// </summary>
internal sealed class LocalCluster : IAsyncDisposable
{
    private readonly ILoggerFactory _loggers;
    private readonly ITestOutputHelper _output;

    private readonly ZoneNetworks? _zones;
    private readonly NetworkLease? _network;
    private readonly DateTime _startedUtc = DateTime.UtcNow;

    private LocalCluster(ITestOutputHelper output, string home, string network, int portBase, ZoneNetworks? zones, NetworkLease? lease)
    {
        _zones = zones;
        _network = lease;
        _output = output;
        Home = home;
        Network = network;
        PortBase = portBase;
        _loggers = LoggerFactory.Create(b => b.AddProvider(new TestLoggerProvider(output)).SetMinimumLevel(LogLevel.Information));
    }

    public string Home { get; }
    public string Network { get; }
    public int PortBase { get; }
    public LocalControlPlane ControlPlane { get; private set; } = null!;

    /// <summary>
    /// A control plane whose zones are loopback addresses, or, with <paramref name="zones"/>, network namespaces, which
    /// the cluster then owns: they are disposed with it, or here when it fails to start.
    /// </summary>
    public static async Task<LocalCluster> StartAsync(ITestOutputHelper output, ZoneNetworks? zones = null)
    {
        RedisInstallation.Require();
        StallWatch.Start();
        // Zones in namespaces have their own leased network; loopback zones take one of 127.20-127.219.
        var lease = zones is null ? NetworkLease.Take("loopback", 20, 200) : null;
        var home = Path.Combine(Path.GetTempPath(), "redoubt-tests", Guid.NewGuid().ToString("N")[..12]);
        var cluster = new LocalCluster(output, home, zones?.Network ?? $"127.{lease!.Number}", 16000, zones, lease);
        try
        {
            await cluster.StartControlPlaneAsync();
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return cluster;
    }

    public LocalOptions Options => new() { Home = Home, PortBase = PortBase, SentinelPortBase = PortBase + 10000, ZoneNetwork = Network, ZoneNamespaces = _zones?.Namespaces, ExternalAddress = LocalOptions.DetectExternalAddress() };

    public async Task StartControlPlaneAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        ControlPlane = await LocalControlPlane.StartAsync(Options, _loggers, cts.Token);
    }

    /// <summary>Stops and disposes the control plane (with <paramref name="stopNodes"/> false its nodes keep running) until the next <see cref="StartControlPlaneAsync"/>.</summary>
    public async Task StopControlPlaneAsync(bool stopNodes)
    {
        var controlPlane = ControlPlane;
        ControlPlane = null!;
        await controlPlane.StopAsync(stopNodes, CancellationToken.None);
        await controlPlane.DisposeAsync();
    }

    public async Task ApplyAsync(string yaml)
    {
        var result = await ControlPlane.ApplyAsync(yaml, "test.yaml", CancellationToken.None);
        Assert.True(result.Succeeded, "apply failed: " + string.Join("; ", result.Errors));
    }

    /// <summary>Polls the resource until <paramref name="condition"/> holds; on timeout, fails with the last status.</summary>
    public async Task<RedisResource> WaitUntilAsync(string name, Func<RedisResource, bool> condition, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(60);
        var clock = Stopwatch.StartNew();
        RedisResource? last = null;
        while (clock.Elapsed < limit)
        {
            last = await ControlPlane.GetAsync("default", name, CancellationToken.None);
            if (last is not null && condition(last))
            {
                _output.WriteLine($"{what}: after {clock.ElapsedMilliseconds} ms");
                return last;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"{name} did not reach '{what}' within {limit.TotalSeconds:F0} s. Last status:\n{(last is null ? "(none)" : ResourceSerializer.ToYaml(last))}");
        return null!;
    }

    public Task<RedisResource> WaitReadyAsync(string name, TimeSpan? timeout = null) =>
        WaitUntilAsync(name, r => r.Status?.Phase == Phases.Ready, "phase Ready", timeout);

    public async Task<ConnectionMultiplexer> ConnectAsync(string name)
    {
        var credentials = await ControlPlane.GetCredentialsAsync("default", name, CancellationToken.None);
        Assert.NotNull(credentials);
        return await ConnectionMultiplexer.ConnectAsync(ClientOptions.ThroughSentinels(credentials));
    }

    /// <summary>A <see cref="SequenceWriter"/> on a client of its own that finds the master through the Sentinels, as an application does.</summary>
    public async Task<SequenceWriter> StartWriterAsync(string name, Action<ConfigurationOptions>? tune = null)
    {
        var credentials = await ControlPlane.GetCredentialsAsync("default", name, CancellationToken.None);
        Assert.NotNull(credentials);
        var options = ClientOptions.ThroughSentinels(credentials);
        tune?.Invoke(options);
        return await SequenceWriter.StartAsync(options);
    }

    /// <summary>
    /// A connection to one node as Redoubt's admin user: the test plays the operator (or someone who stole the admin
    /// password), doing what applications may not (CONFIG, REPLICAOF, ACL).
    /// </summary>
    public async Task<IDatabase> DirectAsync(string name, string address, List<ConnectionMultiplexer> keep)
    {
        var options = WithTls(name, new ConfigurationOptions { EndPoints = { address }, User = Core.Access.AclUsers.Admin, Password = AdminPassword(name), AllowAdmin = true, AbortOnConnectFail = false, ConnectTimeout = 2000 });
        var mux = await ConnectionMultiplexer.ConnectAsync(options);
        keep.Add(mux);
        return mux.GetDatabase();
    }

    /// <summary>Sentinel's commands as StackExchange.Redis knows them, and CLIENT and ACL, which Sentinel has too.</summary>
    private static readonly CommandMap SentinelAdministration = CommandMap.Create(
        new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "auth", "hello", "ping", "info", "role", "sentinel", "subscribe", "psubscribe", "unsubscribe", "punsubscribe", "client", "acl" },
        available: true);

    /// <summary>A connection to one Redis node or Sentinel as Redoubt's admin user, for what only an operator may do.</summary>
    public async Task<ConnectionMultiplexer> AdminOnAsync(string name, string address, bool sentinel) =>
        await ConnectionMultiplexer.ConnectAsync(WithTls(name, new ConfigurationOptions
        {
            EndPoints = { address },
            User = Core.Access.AclUsers.Admin,
            Password = AdminPassword(name),
            CommandMap = sentinel ? SentinelAdministration : CommandMap.Default,
            TieBreaker = "",
            AllowAdmin = true,
            AbortOnConnectFail = false,
            ConnectTimeout = 2000,
        }));

    /// <summary>A resource with TLS on has its CA in its folder: direct connections then use TLS and trust it.</summary>
    private ConfigurationOptions WithTls(string name, ConfigurationOptions options)
    {
        if (File.Exists(AuthorityFile(name)))
        {
            options.Ssl = true;
            options.TrustIssuer(AuthorityFile(name));
        }

        return options;
    }

    /// <summary>The CA certificate of a TLS resource.</summary>
    public string AuthorityFile(string name) => Path.Combine(ResourceFolder(name), "ca.crt");

    /// <summary>The admin user's password, from its 0600 file in the resource's folder.</summary>
    public string AdminPassword(string name) =>
        File.ReadAllText(Path.Combine(Home, "resources", "default", name, "admin-password")).Trim();

    /// <summary>The folder of a resource, where its nodes' config files and passwords are.</summary>
    public string ResourceFolder(string name) => Path.Combine(Home, "resources", "default", name);

    public async ValueTask DisposeAsync()
    {
        try
        {
            // Null when the control plane did not start.
            if (ControlPlane is not null)
            {
                await ControlPlane.StopAsync(stopNodes: true, CancellationToken.None);
                await ControlPlane.DisposeAsync();
            }
        }
        finally
        {
            _loggers.Dispose();
            // A test that timed out says here whether the process or the machine stood still meanwhile.
            foreach (var stall in StallWatch.Since(_startedUtc))
            {
                _output.WriteLine(stall);
            }

            if (_zones is not null)
            {
                await _zones.DisposeAsync();
            }

            try
            {
                // REDOUBT_TEST_KEEP=1 keeps every node's config and log for a look after the run.
                if (Environment.GetEnvironmentVariable("REDOUBT_TEST_KEEP") != "1")
                {
                    Directory.Delete(Home, recursive: true);
                }
                else
                {
                    _output.WriteLine($"kept {Home}");
                }
            }
            catch (IOException)
            {
                // A node's last log line can race the delete; the folder is under the temp directory anyway.
            }

            // Last: the nodes that used the network are gone.
            _network?.Dispose();
        }
    }
}
