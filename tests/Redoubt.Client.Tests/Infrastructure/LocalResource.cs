using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Redoubt.Core.ControlPlane;
using Redoubt.Integration.Tests.Infrastructure;
using Redoubt.Model;
using Redoubt.Platforms.Local;
using Xunit.Abstractions;

namespace Redoubt.Client.Tests.Infrastructure;

/// <summary>
/// One Redoubt resource on a local control plane in a throw-away home and a loopback network leased for its lifetime
/// (127.N.0.x, shared with the integration tests' leases), so it never competes with another test for an address.
/// </summary>
internal sealed class LocalResource : IAsyncDisposable
{
    private readonly ILoggerFactory _loggers;
    private readonly NetworkLease _network;
    private readonly string _home;
    private LocalControlPlane? _controlPlane;

    private LocalResource(ILoggerFactory loggers, NetworkLease network, string home, string name)
    {
        _loggers = loggers;
        _network = network;
        _home = home;
        Name = name;
    }

    public string Name { get; }

    public LocalControlPlane ControlPlane => _controlPlane ?? throw new InvalidOperationException("the control plane has not started");

    /// <summary>The application password in a 0600 file, as a mounted secret would hold it (with its newline).</summary>
    public string PasswordFile => Path.Combine(_home, "application-password");

    public Credentials Credentials { get; private set; } = null!;

    /// <summary>Starts a control plane and a resource of <paramref name="replicas"/> nodes, and waits until it is Ready.</summary>
    public static async Task<LocalResource> StartAsync(ITestOutputHelper? output, string name, int replicas = 3)
    {
        RedisInstallation.Require();
        var lease = NetworkLease.Take("loopback", 20, 200);
        var home = Path.Combine(Path.GetTempPath(), "redoubt-tests", Guid.NewGuid().ToString("N")[..12]);
        var loggers = LoggerFactory.Create(b =>
        {
            b.SetMinimumLevel(LogLevel.Information);
            if (output is not null)
            {
                b.AddProvider(new TestLoggerProvider(output));
            }
        });
        var resource = new LocalResource(loggers, lease, home, name);
        try
        {
            await resource.StartAsync($"127.{lease.Number}", replicas);
        }
        catch
        {
            await resource.DisposeAsync();
            throw;
        }

        return resource;
    }

    private async Task StartAsync(string network, int replicas)
    {
        using var start = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var options = new LocalOptions { Home = _home, PortBase = 16000, SentinelPortBase = 26000, ZoneNetwork = network };
        _controlPlane = await LocalControlPlane.StartAsync(options, _loggers, start.Token);
        var yaml = $"""
            apiVersion: apps.cozystack.io/v1alpha1
            kind: Redis
            metadata:
              name: {Name}
            spec:
              replicas: {replicas}
            """;
        var applied = await _controlPlane.ApplyAsync(yaml, "test.yaml", start.Token);
        Assert.True(applied.Succeeded, "apply failed: " + string.Join("; ", applied.Errors));
        await WaitUntilAsync(r => r.Status?.Phase == Phases.Ready, "phase Ready", TimeSpan.FromSeconds(90));
        Credentials = await _controlPlane.GetCredentialsAsync("default", Name, CancellationToken.None)
            ?? throw new InvalidOperationException($"no credentials for {Name}");
        Assert.NotNull(Credentials.Password);
        await File.WriteAllTextAsync(PasswordFile, Credentials.Password + "\n");
        File.SetUnixFileMode(PasswordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    /// <summary>Polls the resource until <paramref name="condition"/> holds; on timeout, fails with its last status.</summary>
    public async Task<RedisResource> WaitUntilAsync(Func<RedisResource, bool> condition, string what, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        RedisResource? last = null;
        while (clock.Elapsed < limit)
        {
            last = await ControlPlane.GetAsync("default", Name, CancellationToken.None);
            if (last is not null && condition(last))
            {
                return last;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"{Name} did not reach '{what}' within {limit.TotalSeconds:F0} s. Last status:\n{(last is null ? "(none)" : ResourceSerializer.ToYaml(last))}");
        return null!;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_controlPlane is not null)
            {
                await _controlPlane.StopAsync(stopNodes: true, CancellationToken.None);
                await _controlPlane.DisposeAsync();
            }
        }
        finally
        {
            _loggers.Dispose();
            try
            {
                Directory.Delete(_home, recursive: true);
            }
            catch (DirectoryNotFoundException)
            {
                // The control plane did not get far enough to make it.
            }
            catch (IOException)
            {
                // A node's last log line can race the delete; the folder is under the temp directory anyway.
            }

            // Last: the nodes that used the network are gone.
            _network.Dispose();
        }
    }
}
