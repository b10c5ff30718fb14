using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Redoubt.Client;
using Redoubt.Core.Platform;
using Redoubt.Core.Tls;
using Redoubt.Integration.Tests.Infrastructure;
using Redoubt.Integration.Tests.Local;
using Redoubt.Model;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Redoubt.Integration.Tests.Tls;

/// <summary>A resource with <c>tls.enabled: true</c> on real processes: TLS only, checked against the resource's own CA.</summary>
public sealed class TlsTests(ITestOutputHelper output)
{
    private const string Tls = """
        apiVersion: apps.cozystack.io/v1alpha1
        kind: Redis
        metadata:
          name: secure
        spec:
          replicas: 3
          tls:
            enabled: true
        """;

    [Fact]
    public async Task TlsResourceBecomesReadyWithPrivateKeysAndNothingAnswersInClear()
    {
        await using var cluster = await LocalCluster.StartAsync(output);
        await cluster.ApplyAsync(Tls);
        var status = (await cluster.WaitReadyAsync("secure")).Status!;

        var folder = cluster.ResourceFolder("secure");
        var keys = Directory.EnumerateFiles(folder, "*.key", SearchOption.AllDirectories).ToList();
        Assert.Equal(1 + 3 + 3, keys.Count);
        Assert.All(keys, key => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key)));
        Assert.Contains("port 0\n", await File.ReadAllTextAsync(Path.Combine(folder, "redis-0", "redis.conf")), StringComparison.Ordinal);

        // Every node and Sentinel listens with TLS alone: a client speaking RESP in clear gets no answer.
        foreach (var address in status.Nodes.Select(n => n.Address!).Concat(status.Sentinels))
        {
            Assert.Null(await PlainTextReplyAsync(address));
        }
    }

    [Fact]
    public async Task ApplicationsConnectWithTheCredentialsAndTheCaOnly()
    {
        await using var cluster = await LocalCluster.StartAsync(output);
        await cluster.ApplyAsync(Tls);
        var status = (await cluster.WaitReadyAsync("secure")).Status!;
        var credentials = (await cluster.ControlPlane.GetCredentialsAsync("default", "secure", CancellationToken.None))!;
        Assert.Equal(cluster.AuthorityFile("secure"), credentials.CertificateAuthorityFile);
        Assert.Contains(",ssl=true", credentials.StackExchangeConnectionString(includePassword: false), StringComparison.Ordinal);

        // StackExchange.Redis with the connection string and the CA, through the Sentinels.
        await using (var client = await ConnectionMultiplexer.ConnectAsync(ClientOptions.ThroughSentinels(credentials)))
        {
            var db = client.GetDatabase();
            await db.StringSetAsync("tls:se", "written over TLS");
            Assert.Equal("written over TLS", (string?)await db.StringGetAsync("tls:se"));
        }

        // The same connection string without the CA: the nodes' certificates are trusted by nobody else.
        var untrusting = ConfigurationOptions.Parse(credentials.StackExchangeConnectionString(includePassword: true));
        untrusting.AbortOnConnectFail = true;
        untrusting.ConnectTimeout = 2000;
        await Assert.ThrowsAsync<RedisConnectionException>(() => ConnectionMultiplexer.ConnectAsync(untrusting));

        // Redoubt.Client, given the CA.
        await using (var redoubt = await RedoubtConnection.ConnectAsync(credentials.Sentinels, credentials.MasterName, credentials.Password,
            new RedoubtConnectionOptions { CertificateAuthorityFile = credentials.CertificateAuthorityFile }))
        {
            await redoubt.GetDatabase().StringSetAsync("tls:client", "from Redoubt.Client");
        }

        // redis-cli, the password in REDISCLI_AUTH.
        var (host, port) = Endpoints.Parse(status.Master!);
        Assert.Equal("from Redoubt.Client", await RedisCliAsync(credentials.Password!, "--tls", "--cacert", credentials.CertificateAuthorityFile!, "-h", host, "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "GET", "tls:client"));
        var (sentinelHost, sentinelPort) = Endpoints.Parse(status.Sentinels[0]);
        Assert.StartsWith(host, await RedisCliAsync(credentials.Password!, "--tls", "--cacert", credentials.CertificateAuthorityFile!, "-h", sentinelHost, "-p", sentinelPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "SENTINEL", "get-master-addr-by-name", "mymaster"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task KilledMasterIsFailedOverOverTlsWithNoAcknowledgedWriteLost()
    {
        await using var cluster = await LocalCluster.StartAsync(output);
        await cluster.ApplyAsync(Tls);
        var before = (await cluster.WaitReadyAsync("secure")).Status!;
        var oldMaster = before.Nodes.Single(n => n.Role == "master");

        await using var writer = await cluster.StartWriterAsync("secure");
        await writer.WaitForMoreAsync(500, TimeSpan.FromSeconds(10));
        var fault = writer.NowTicks;
        Processes.Signal(oldMaster.Pid!.Value, Processes.SigKill);
        await writer.WaitForMoreAsync(500, TimeSpan.FromSeconds(30));
        var after = (await cluster.WaitUntilAsync("secure", r => r.Status?.Phase == Phases.Ready && r.Status.Master != oldMaster.Address, "Ready with a new master")).Status!;
        await writer.StopAsync();
        output.WriteLine($"client write gap {writer.GapAfter(fault):F0} ms; server-side failover {after.LastFailover?.DurationMs} ms");

        await SelfHealingTests.AssertOneMasterAndNothingLostAsync(cluster, "secure", after, writer);
        Assert.Equal("replica", after.Nodes.Single(n => n.Name == oldMaster.Name).Role);
        Assert.Contains("exited", after.LastFailover!.Cause, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SwitchingTlsOffOnARunningResourceIsRefusedAndChangesNothing()
    {
        await using var cluster = await LocalCluster.StartAsync(output);
        await cluster.ApplyAsync(Tls);
        var before = await cluster.WaitReadyAsync("secure");

        var result = await cluster.ControlPlane.ApplyAsync(Tls.Replace("enabled: true", "enabled: false", StringComparison.Ordinal), "secure.yaml", CancellationToken.None);

        var error = Assert.Single(result.Errors);
        Assert.Equal("spec.tls.enabled", error.Path);
        Assert.Contains("secure.yaml", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("create a new resource", error.Message, StringComparison.Ordinal);
        var after = await cluster.ControlPlane.GetAsync("default", "secure", CancellationToken.None);
        Assert.True(after!.Spec.Tls?.Enabled);
        Assert.Equal(before.Metadata.Generation, after.Metadata.Generation);
    }

    [Fact]
    public async Task ACertificateNearItsEndIsRenewedAndServedWithoutRestartingTheNode()
    {
        await using var cluster = await LocalCluster.StartAsync(output);
        await cluster.ApplyAsync(Tls);
        var before = (await cluster.WaitReadyAsync("secure")).Status!;
        var replica = before.Nodes.First(n => n.Role == "replica");
        var sentinel = before.SentinelNodes[0];
        var folder = cluster.ResourceFolder("secure");
        var trust = new ServerTrust(X509CertificateLoader.LoadCertificateFromFile(cluster.AuthorityFile("secure")));
        var original = await ServedCertificateAsync(replica.Address!, trust);

        // Both certificates replaced by ones that end in ten days, as if a year had gone by.
        using var ca = CertificateAuthority.FromPem(await File.ReadAllTextAsync(Path.Combine(folder, "ca.crt")), await File.ReadAllTextAsync(Path.Combine(folder, "ca.key")));
        foreach (var (node, address) in new[] { (replica.Name, replica.Address!), (sentinel.Name, sentinel.Address!) })
        {
            using var expiring = CertificateAuthority.IssueNode(ca, NodeIdentity.For(node, [Endpoints.Parse(address).Host]), DateTimeOffset.UtcNow, TimeSpan.FromDays(10));
            await File.WriteAllTextAsync(Path.Combine(folder, node, "tls.key"), CertificateAuthority.PrivateKeyPem(expiring));
            await File.WriteAllTextAsync(Path.Combine(folder, node, "tls.crt"), CertificateAuthority.CertificatePem(expiring));
        }

        var served = await WaitUntilServedAsync(replica.Address!, trust, Path.Combine(folder, replica.Name, "tls.crt"));
        Assert.NotEqual(original.Thumbprint, served.Thumbprint);
        Assert.True(served.NotAfter.ToUniversalTime() > DateTime.UtcNow.AddDays(300), $"served a certificate ending {served.NotAfter:u}");
        var after = (await cluster.WaitUntilAsync("secure", r => r.Status?.Phase == Phases.Ready && r.Status.SentinelNodes[0].Pid != sentinel.Pid, "Ready with the Sentinel restarted on its renewed certificate")).Status!;
        Assert.Equal(replica.Pid, after.Nodes.Single(n => n.Name == replica.Name).Pid);
        Assert.Contains(after.Events, e => e.Reason == "CertificateLoaded" && e.Message.Contains(replica.Name, StringComparison.Ordinal));
        await WaitUntilServedAsync(sentinel.Address!, trust, Path.Combine(folder, sentinel.Name, "tls.crt"));
    }

    /// <summary>The certificate a node presents in the TLS handshake, checked against the resource's CA as Redoubt checks it.</summary>
    private static async Task<X509Certificate2> ServedCertificateAsync(string address, ServerTrust trust)
    {
        var (host, port) = Endpoints.Parse(address);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        using var client = new TcpClient();
        await client.ConnectAsync(host, port, deadline.Token);
        await using var stream = new SslStream(client.GetStream());
        await stream.AuthenticateAsClientAsync(trust.OptionsFor(host), deadline.Token);
        return X509CertificateLoader.LoadCertificate(stream.RemoteCertificate!.GetRawCertData());
    }

    /// <summary>Polls the node's handshake until it presents the certificate now in <paramref name="file"/>, and it is not the one that ends soon.</summary>
    private async Task<X509Certificate2> WaitUntilServedAsync(string address, ServerTrust trust, string file)
    {
        var clock = Stopwatch.StartNew();
        X509Certificate2? last = null;
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            last = await ServedCertificateAsync(address, trust);
            using var onDisk = CertificateAuthority.FromPem(await File.ReadAllTextAsync(file));
            if (last.Thumbprint == onDisk.Thumbprint && last.NotAfter.ToUniversalTime() > DateTime.UtcNow.AddDays(300))
            {
                output.WriteLine($"{address} serves its renewed certificate after {clock.ElapsedMilliseconds} ms");
                return last;
            }

            await Task.Delay(200);
        }

        Assert.Fail($"{address} still serves {last?.Subject} ending {last?.NotAfter:u}, not its renewed certificate in {file}");
        return null!;
    }

    /// <summary>What a node answers to PING sent in clear: null when it answers nothing (TLS only).</summary>
    private static async Task<string?> PlainTextReplyAsync(string address)
    {
        var (host, port) = Endpoints.Parse(address);
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await socket.ConnectAsync(host, port, deadline.Token);
        await socket.SendAsync("PING\r\n"u8.ToArray(), SocketFlags.None, deadline.Token);
        var buffer = new byte[256];
        try
        {
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
            var reply = Encoding.ASCII.GetString(buffer, 0, read);
            return reply.Contains("PONG", StringComparison.Ordinal) ? reply : null;
        }
        catch (SocketException)
        {
            // Reset: the TLS listener dropped a client that did not speak TLS.
            return null;
        }
    }

    private static async Task<string> RedisCliAsync(string password, params string[] arguments)
    {
        var start = new ProcessStartInfo("redis-cli") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Never on the command line, where ps would show it.
        start.Environment["REDISCLI_AUTH"] = password;
        using var process = Process.Start(start)!;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var stdout = process.StandardOutput.ReadToEndAsync(deadline.Token);
        var stderr = process.StandardError.ReadToEndAsync(deadline.Token);
        await process.WaitForExitAsync(deadline.Token);
        Assert.True(process.ExitCode == 0, $"redis-cli {string.Join(' ', arguments)} exited {process.ExitCode}: {await stderr}");
        return (await stdout).Trim();
    }
}
