using Redoubt.Platforms.Kubernetes;

namespace Redoubt.Kubernetes.Tests.Manifests;

public sealed class RenderGoldenTests
{
    public static TheoryData<string> Examples() => [.. TestPaths.ExampleFiles()];

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task RenderOfEveryExampleMatchesItsGoldenFile(string file)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await KubernetesCommands.RenderAsync(Path.Combine(TestPaths.RepositoryRoot, file), output, error, CancellationToken.None);
        Assert.True(code == 0, $"render {file} failed: {error}");

        var golden = TestPaths.GoldenFor(file);
        if (TestPaths.UpdateGolden)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(golden)!);
            await File.WriteAllTextAsync(golden, output.ToString());
        }

        Assert.True(File.Exists(golden), $"{golden} is missing; run REDOUBT_UPDATE_GOLDEN=1 dotnet test tests/Redoubt.Kubernetes.Tests");
        Assert.True(await File.ReadAllTextAsync(golden) == output.ToString(),
            $"render {file} differs from {golden}; if the change is intended, regenerate with REDOUBT_UPDATE_GOLDEN=1 and review the diff");
    }

    [Fact]
    public async Task InvalidFileGivesOneLinePerErrorAndExitOne()
    {
        var file = Path.Combine(Path.GetTempPath(), $"redoubt-render-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, "apiVersion: apps.cozystack.io/v1alpha1\nkind: Redis\nmetadata:\n  name: bad\nspec:\n  replicas: 0\n  version: v6\n");
        try
        {
            using var output = new StringWriter();
            using var error = new StringWriter();
            var code = await KubernetesCommands.RenderAsync(file, output, error, CancellationToken.None);

            Assert.Equal(1, code);
            Assert.Equal("", output.ToString());
            var lines = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(lines.Length >= 2, error.ToString());
            Assert.All(lines, line => Assert.StartsWith(file, line, StringComparison.Ordinal));
            Assert.Contains(lines, line => line.Contains("spec.replicas", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task MissingFileIsAnErrorNotAnException()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        Assert.Equal(1, await KubernetesCommands.RenderAsync("/nonexistent/redis.yaml", output, error, CancellationToken.None));
        Assert.Contains("/nonexistent/redis.yaml", error.ToString(), StringComparison.Ordinal);
    }
}
