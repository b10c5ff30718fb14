using System.Diagnostics;
using Redoubt.Core.Observation;
using Redoubt.Integration.Tests.Infrastructure;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Redoubt.Integration.Tests.Access;

/// <summary>
/// A new application password without downtime: clients with the old one keep working through the grace period,
/// clients with the new one get in at once through the Sentinels, and after the grace only the new one opens a
/// connection, on every node and Sentinel. A control plane restarted meanwhile ends the grace on time.
/// </summary>
public sealed class RotationTests(ITestOutputHelper output)
{
    private const string Resource = """
        apiVersion: apps.cozystack.io/v1alpha1
        kind: Redis
        metadata:
          name: rotate
        spec:
          replicas: 3
        """;

    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(8);

    [Fact]
    public async Task TheOldPasswordWorksUntilTheGraceEndsAndTheNewOneAtOnceWithNoNodeRestarted()
    {
        await using var cluster = await LocalCluster.StartAsync(output);
        await cluster.ApplyAsync(Resource);
        var before = (await cluster.WaitReadyAsync("rotate")).Status!;
        var old = (await cluster.ControlPlane.GetCredentialsAsync("default", "rotate", CancellationToken.None))!;
        await using var writer = await cluster.StartWriterAsync("rotate");
        await writer.WaitForMoreAsync(50, TimeSpan.FromSeconds(10));

        var request = await cluster.ControlPlane.RotatePasswordAsync("default", "rotate", Grace, CancellationToken.None);
        var rotated = Stopwatch.StartNew();
        var applied = (await cluster.WaitUntilAsync("rotate", r => r.Status?.PasswordRotation is { Applied: true } p && p.Request == request, "the new password on every node")).Status!;
        var current = (await cluster.ControlPlane.GetCredentialsAsync("default", "rotate", CancellationToken.None))!;
        Assert.NotEqual(old.Password, current.Password);
        Assert.NotNull(applied.PasswordRotation!.OldPasswordUntil);

        // A new client with the new password, through the Sentinels, as an application that just read it.
        await using (var fresh = await ConnectionMultiplexer.ConnectAsync(ClientOptions.ThroughSentinels(current)))
        {
            await fresh.GetDatabase().StringSetAsync("rotated", "yes");
            Assert.Equal("yes", (string?)await fresh.GetDatabase().StringGetAsync("rotated"));
        }

        var everywhere = applied.Nodes.Select(n => n.Address).Concat(applied.Sentinels).ToList();
        foreach (var address in everywhere)
        {
            Assert.Null(await ApplicationLogin.RefusedAsync(address, current.Password, tls: null, CancellationToken.None));
            Assert.True(rotated.Elapsed < Grace, "the test was too slow to check the old password inside the grace period");
            Assert.Null(await ApplicationLogin.RefusedAsync(address, old.Password, tls: null, CancellationToken.None));
        }

        var retired = (await cluster.WaitUntilAsync("rotate", r => r.Status?.PasswordRotation is { OldPasswordUntil: null, Applied: true }, "the old password retired", Grace + TimeSpan.FromSeconds(30))).Status!;
        output.WriteLine($"retired {rotated.ElapsedMilliseconds} ms after the request; the writer: {writer.Acknowledged} acknowledged, {writer.Failures} failures");
        Assert.True(rotated.Elapsed >= Grace - TimeSpan.FromSeconds(1), $"the old password was retired after {rotated.Elapsed.TotalSeconds:F1} s, before its grace of {Grace.TotalSeconds:F0} s");
        Assert.Equal(0, writer.Failures);
        await writer.WaitForMoreAsync(20, TimeSpan.FromSeconds(10));

        foreach (var address in everywhere)
        {
            await WaitRefusedAsync(address, old.Password!);
            Assert.Null(await ApplicationLogin.RefusedAsync(address, current.Password, tls: null, CancellationToken.None));
        }

        Assert.Equal(before.Nodes.OrderBy(n => n.Name).Select(n => n.Pid), retired.Nodes.OrderBy(n => n.Name).Select(n => n.Pid));
        Assert.Equal(before.SentinelNodes.OrderBy(n => n.Name).Select(n => n.Pid), retired.SentinelNodes.OrderBy(n => n.Name).Select(n => n.Pid));
        Assert.Contains(retired.Events, e => e.Reason == "PasswordRotated");
        Assert.Contains(retired.Events, e => e.Reason == "OldPasswordRetired");
        Assert.DoesNotContain(retired.Events, e => e.Reason == "LoginRefused");
        Assert.DoesNotContain(retired.Events, e => e.Message.Contains(old.Password!, StringComparison.Ordinal) || e.Message.Contains(current.Password!, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AControlPlaneRestartedDuringTheGraceEndsItOnTimeWithTheSamePassword()
    {
        await using var cluster = await LocalCluster.StartAsync(output);
        await cluster.ApplyAsync(Resource);
        await cluster.WaitReadyAsync("rotate");
        var old = (await cluster.ControlPlane.GetCredentialsAsync("default", "rotate", CancellationToken.None))!;

        var request = await cluster.ControlPlane.RotatePasswordAsync("default", "rotate", Grace, CancellationToken.None);
        var applied = (await cluster.WaitUntilAsync("rotate", r => r.Status?.PasswordRotation is { Applied: true } p && p.Request == request, "the new password on every node")).Status!;
        var until = applied.PasswordRotation!.OldPasswordUntil!.Value;
        var current = (await cluster.ControlPlane.GetCredentialsAsync("default", "rotate", CancellationToken.None))!;
        await cluster.StopControlPlaneAsync(stopNodes: false);
        Assert.Null(await ApplicationLogin.RefusedAsync(applied.Master!, old.Password, tls: null, CancellationToken.None));
        await cluster.StartControlPlaneAsync();

        var retired = (await cluster.WaitUntilAsync("rotate", r => r.Status?.PasswordRotation is { OldPasswordUntil: null, Applied: true }, "the old password retired by the new control plane", Grace + TimeSpan.FromSeconds(30))).Status!;
        var at = DateTimeOffset.UtcNow;
        output.WriteLine($"retired at {at:O}, grace until {until:O}");
        Assert.True(at >= until, $"retired at {at:O}, before the end of the grace {until:O}");
        Assert.Equal(request, retired.PasswordRotation!.Request);
        Assert.Equal(current.Password, (await cluster.ControlPlane.GetCredentialsAsync("default", "rotate", CancellationToken.None))!.Password);
        foreach (var address in retired.Nodes.Select(n => n.Address).Concat(retired.Sentinels))
        {
            await WaitRefusedAsync(address, old.Password!);
            Assert.Null(await ApplicationLogin.RefusedAsync(address, current.Password, tls: null, CancellationToken.None));
        }
    }

    /// <summary>Polls a fresh login with <paramref name="password"/> until the node refuses it; the pass that takes it away may still be running.</summary>
    private static async Task WaitRefusedAsync(string address, string password)
    {
        var clock = Stopwatch.StartNew();
        string? refusal;
        while ((refusal = await ApplicationLogin.RefusedAsync(address, password, tls: null, CancellationToken.None)) is null)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"{address} still lets the old password in {clock.Elapsed.TotalSeconds:F1} s after the grace ended");
            await Task.Delay(50);
        }

        Assert.Contains("WRONGPASS", refusal, StringComparison.Ordinal);
    }
}
