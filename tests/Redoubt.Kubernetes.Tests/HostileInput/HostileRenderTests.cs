using Redoubt.Model;
using Redoubt.Model.Tests.HostileInput;

namespace Redoubt.Kubernetes.Tests.HostileInput;

/// <summary>Every hostile file the loader accepts (a fixed-seed sample) renders, with nothing injected into a config file.</summary>
public sealed class HostileRenderTests
{
    private const int Seed = 2;
    // Rendering costs far more than loading: fewer cases than the model tests' sample.
    private const int Cases = 500;

    [Fact]
    public void EveryAcceptedHostileFileRendersWithoutInjection()
    {
        var files = new HostileFiles(ExampleFiles.Load());
        var rendered = 0;
        var problems = new List<string>();
        for (var i = 0; i < Cases; i++)
        {
            var file = files.Case(Seed, i);
            var verdict = LoadVerdict.Of(file.Text);
            problems.AddRange(verdict.Problems.Select(p => $"case {i} of seed {Seed} ({file}): {p}"));
            foreach (var resource in verdict.Accepted ? verdict.Result!.Resources : [])
            {
                rendered++;
                problems.AddRange(RenderVerdict.Of(resource).Select(p => $"case {i} of seed {Seed} ({file}): {p}"));
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems.Take(20)));
        Assert.True(rendered > 0, "no hostile file was accepted: the sample rendered nothing");
    }

    [Fact]
    public void AConfigCarryingTheMarkerIsReported()
    {
        // The check itself: the marker in a value that reaches redis.conf is found (the zone is in its header comment).
        var resource = new RedisResource { Metadata = { Name = "example" }, Spec = { Zones = [RenderVerdict.Marker.ToLowerInvariant()] } };
        Assert.Empty(RenderVerdict.Of(resource));

        resource.Spec.Zones[0] = RenderVerdict.Marker;
        Assert.Contains(RenderVerdict.Of(resource), p => p.Contains("carries an injected line", StringComparison.Ordinal));
    }
}
