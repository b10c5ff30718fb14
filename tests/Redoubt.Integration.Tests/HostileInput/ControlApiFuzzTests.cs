using System.Diagnostics;
using CsCheck;
using Redoubt.Integration.Tests.EndToEnd;
using Redoubt.Integration.Tests.Infrastructure;
using Redoubt.Model.Tests.HostileInput;

namespace Redoubt.Integration.Tests.HostileInput;

/// <summary>
/// A barrage of hostile requests on a real control plane's socket (`redoubt serve` with a running resource): each gets
/// an HTTP error or a closed connection, never a 500 or a stack trace; a rejected apply changes nothing on disk or in
/// the status; and afterwards the control plane is still there and answers.
/// </summary>
public sealed class ControlApiFuzzTests
{
    private const int Seed = 3;
    private const int Cases = 300;
    private const string Head = "apiVersion: apps.cozystack.io/v1alpha1\nkind: Redis\nmetadata:\n  name: target\n";

    [Fact]
    public async Task HostileRequestsGetAnErrorOrAClosedConnectionAndChangeNothing()
    {
        using var cli = new RedoubtCli();
        var serve = cli.Serve();
        await BadInputTests.WaitForControlPlaneAsync(cli);
        Assert.Equal(0, (await cli.RunAsync("apply", "-f", RedoubtCli.WriteFile("target.yaml", Head + "spec:\n  replicas: 1\n"))).Exit);
        var before = await cli.WaitReadyAsync("target");
        var resources = Path.Combine(cli.Home, "resources");
        var resourceFile = Path.Combine(resources, "default", "target", "resource.json");
        var spec = await File.ReadAllBytesAsync(resourceFile);
        var folders = Folders(resources);

        var requests = HostileRequests.Generator(new HostileFiles(ExampleFiles.Load()));
        var failures = new List<string>();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < Cases; i++)
        {
            var request = requests.Generate(new PCG((uint)i, Seed), null!, out _);
            if (await ControlApiExchange.ProblemAsync(Path.Combine(cli.Home, "control.sock"), request) is { } problem)
            {
                failures.Add($"case {i} of seed {Seed} ({request}): {problem}");
            }

            if (serve.HasExited)
            {
                Assert.Fail($"the control plane exited ({serve.ExitCode}) after case {i} of seed {Seed}: {request}");
            }

            // A rejected apply writes nothing: not the spec, not another resource's folder.
            var specNow = request.IsApplyOfARejectedFile ? await File.ReadAllBytesAsync(resourceFile) : spec;
            if (!Enumerable.SequenceEqual(spec, specNow) || (request.IsApplyOfARejectedFile && Folders(resources) != folders))
            {
                failures.Add($"case {i} of seed {Seed} ({request}): a rejected apply changed {resources}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {Cases} hostile requests ({clock.Elapsed.TotalSeconds:F0} s):\n{string.Join("\n", failures.Take(20))}");

        // Still serving, the resource as it was: same spec, same generation, still Ready.
        var after = await cli.WaitReadyAsync("target");
        Assert.Equal(before.GetProperty("metadata").GetProperty("generation").GetInt64(), after.GetProperty("metadata").GetProperty("generation").GetInt64());
        Assert.Equal(before.GetProperty("status").GetProperty("observedGeneration").GetInt64(), after.GetProperty("status").GetProperty("observedGeneration").GetInt64());
        Assert.Equal(spec, await File.ReadAllBytesAsync(resourceFile));
        Assert.Equal(folders, Folders(resources));
    }

    private static string Folders(string resources) =>
        string.Join(",", Directory.EnumerateDirectories(resources, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
}
