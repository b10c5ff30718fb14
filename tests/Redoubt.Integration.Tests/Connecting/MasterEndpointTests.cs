using Redoubt.Core.Platform;
using Redoubt.Integration.Tests.Infrastructure;
using Redoubt.Model;
using Redoubt.Platforms.Local;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Redoubt.Integration.Tests.Connecting;

/// <summary>
/// The local master endpoint: one address that reaches the master, served by the master process itself (no proxy).
/// An application that knows only that address keeps writing through a frozen master's failover and loses no
/// acknowledged write: the frozen process still listens on the endpoint (a stopped process keeps its sockets), so the
/// new master can take it only once the frozen one is fenced, and a write queued in the frozen one's socket is never
/// acknowledged. Kill -9 and switchover gaps through the endpoint are measured with the other clients
/// (<see cref="ClientFailoverTests"/>, `bench clients`).
/// </summary>
[Collection(HeavyLoad.Name)]
public sealed class MasterEndpointTests(ITestOutputHelper output)
{
    private const string Name = "endpoint";

    private const string Resource = """
        apiVersion: apps.cozystack.io/v1alpha1
        kind: Redis
        metadata:
          name: endpoint
        spec:
          replicas: 3
        """;

    [Fact]
    public async Task OnlyTheMasterServesTheEndpointAndAFrozenMastersFailoverLosesNothingThroughIt()
    {
        await using var cluster = await LocalCluster.StartAsync(output);
        await cluster.ApplyAsync(Resource);
        var ready = await cluster.WaitReadyAsync(Name);
        var credentials = await cluster.ControlPlane.GetCredentialsAsync("default", Name, CancellationToken.None);
        Assert.NotNull(credentials);
        var endpoint = ready.Status!.Endpoint;
        Assert.NotNull(endpoint);
        Assert.Equal(endpoint, credentials.Endpoint);
        Assert.Equal($"redis://:<password>@{endpoint}", credentials.EndpointUrl(includePassword: false));
        var (endpointHost, endpointPort) = Endpoints.Parse(endpoint);
        // Every Redis node has the endpoint's port, each on an address of its own.
        Assert.All(ready.Status.Nodes, n => Assert.Equal(endpointPort, Endpoints.Parse(n.Address!).Port));
        Assert.Equal(ready.Status.Nodes.Count, ready.Status.Nodes.Select(n => Endpoints.Parse(n.Address!).Host).Distinct().Count());

        var keep = new List<ConnectionMultiplexer>();
        try
        {
            await OnlyTheMasterListensAsync(cluster, ready, endpointHost, keep);
            var options = ConfigurationOptions.Parse($"{endpoint},abortConnect=false,connectTimeout=500,syncTimeout=1000,asyncTimeout=1000");
            options.Password = credentials.Password;
            await using var writer = await SequenceWriter.StartAsync(options);
            await writer.WaitForMoreAsync(200, TimeSpan.FromSeconds(30));
            Assert.Equal(ready.Status.Nodes.Single(n => n.Role == "master").Pid, await ServingPidAsync(options));

            var master = ready.Status.Nodes.Single(n => n.Role == "master");
            var pid = master.Pid!.Value;
            try
            {
                Processes.Signal(pid, Processes.SigStop);
                output.WriteLine($"froze the master {master.Name} (pid {pid})");
                var after = await cluster.WaitUntilAsync(Name, r => r.Status?.Phase == Phases.Ready && r.Status.Master != master.Address && r.Status.Nodes.All(n => n.Pid != pid), "Ready with a new master and the frozen one fenced", TimeSpan.FromSeconds(90));
                var promoted = after.Status!.Nodes.Single(n => n.Role == "master");
                output.WriteLine($"{promoted.Name} is master; {master.Name} was fenced and restarted");

                await writer.WaitForMoreAsync(200, TimeSpan.FromSeconds(30));
                await writer.StopAsync();
                Assert.Equal(promoted.Pid, await ServingPidAsync(options));
                await OnlyTheMasterListensAsync(cluster, await cluster.WaitReadyAsync(Name), endpointHost, keep);

                var missing = await writer.MissingOnAsync(await cluster.DirectAsync(Name, promoted.Address!, keep));
                output.WriteLine($"{writer.Acknowledged} writes acknowledged through the endpoint, {writer.Failures} failed, {missing.Count} acknowledged and missing on {promoted.Name}");
                Assert.True(missing.Count == 0, $"acknowledged through the endpoint and missing on the master: {string.Join(", ", missing.Take(20))}");
            }
            finally
            {
                Processes.TrySignal(pid, Processes.SigCont);
            }
        }
        finally
        {
            foreach (var mux in keep)
            {
                await mux.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task AnExternalResourceServesItsMasterEndpointOnTheMachinesAddressAndNothingElse()
    {
        var machine = LocalOptions.DetectExternalAddress();
        Assert.True(machine is not null, "this machine has no IPv4 address other than loopback: an external endpoint cannot be served or tested here");
        await using var cluster = await LocalCluster.StartAsync(output);
        await cluster.ApplyAsync(Resource.Replace("  replicas: 3", "  replicas: 2\n  external: true", StringComparison.Ordinal));
        var ready = await cluster.WaitReadyAsync(Name);
        var endpoint = ready.Status!.Endpoint!;
        var (host, port) = Endpoints.Parse(endpoint);
        Assert.Equal(machine, host);

        var credentials = (await cluster.ControlPlane.GetCredentialsAsync("default", Name, CancellationToken.None))!;
        var options = ConfigurationOptions.Parse($"{endpoint},abortConnect=false,connectTimeout=2000");
        options.Password = credentials.Password;
        Assert.Equal(ready.Status.Nodes.Single(n => n.Role == "master").Pid, await ServingPidAsync(options));

        // Reachable from the network, so never without the password: a command without AUTH is refused.
        Assert.StartsWith("-NOAUTH", await FirstReplyAsync(host, port, "SET k v"), StringComparison.Ordinal);

        // Nothing but the master endpoint listens on the machine's address: not the nodes' own ports, not the Sentinels'.
        foreach (var address in ready.Status.Sentinels)
        {
            Assert.False(Accepts(machine!, Endpoints.Parse(address).Port), $"a Sentinel's port {Endpoints.Parse(address).Port} answers on {machine}");
        }

        var keep = new List<ConnectionMultiplexer>();
        try
        {
            await OnlyTheMasterListensAsync(cluster, ready, host, keep);
        }
        finally
        {
            foreach (var mux in keep)
            {
                await mux.DisposeAsync();
            }
        }

        Assert.True(Accepts(machine!, port));
    }

    /// <summary>The first line a node answers to <paramref name="command"/> (inline syntax) on a plain connection of its own.</summary>
    private static async Task<string> FirstReplyAsync(string host, int port, string command)
    {
        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync(System.Net.IPAddress.Parse(host), port);
        await using var stream = client.GetStream();
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(command + "\r\n"));
        using var reader = new StreamReader(stream, System.Text.Encoding.ASCII);
        return await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)) ?? "";
    }

    private static bool Accepts(string host, int port)
    {
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        try
        {
            socket.Connect(System.Net.IPAddress.Parse(host), port);
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    /// <summary>The master, and no other node, lists the endpoint's address in its bind setting.</summary>
    private static async Task OnlyTheMasterListensAsync(LocalCluster cluster, RedisResource resource, string endpointHost, List<ConnectionMultiplexer> keep)
    {
        foreach (var node in resource.Status!.Nodes)
        {
            var direct = await cluster.DirectAsync(Name, node.Address!, keep);
            var bind = (string)(await direct.ExecuteAsync("CONFIG", "GET", "bind"))[1]!;
            var holds = bind.Split(' ').Contains(endpointHost);
            Assert.True(holds == (node.Role == "master"), $"{node.Name} ({node.Role}) listens on {bind}");
        }
    }

    /// <summary>The pid of the process that answers at the endpoint, on a fresh connection (INFO server's process_id).</summary>
    private static async Task<int> ServingPidAsync(ConfigurationOptions options)
    {
        var limit = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                var fresh = options.Clone();
                fresh.AllowAdmin = true;
                await using var client = await ConnectionMultiplexer.ConnectAsync(fresh);
                var info = await client.GetServers().Single().InfoAsync("server");
                return int.Parse(info.SelectMany(g => g).Single(p => p.Key == "process_id").Value, System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (RedisException) when (DateTime.UtcNow < limit)
            {
                await Task.Delay(100);
            }
        }
    }
}
