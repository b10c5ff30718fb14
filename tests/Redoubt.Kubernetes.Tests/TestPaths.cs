namespace Redoubt.Kubernetes.Tests;

internal static class TestPaths
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string Examples => Path.Combine(RepositoryRoot, "examples");
    public static string Golden => Path.Combine(RepositoryRoot, "tests", "Redoubt.Kubernetes.Tests", "golden");
    public static string Crd => Path.Combine(RepositoryRoot, "deploy", "crd.yaml");

    /// <summary>REDOUBT_UPDATE_GOLDEN=1 rewrites golden files and deploy/crd.yaml instead of comparing with them.</summary>
    public static bool UpdateGolden => Environment.GetEnvironmentVariable("REDOUBT_UPDATE_GOLDEN") == "1";

    /// <summary>The project's examples plus this suite's own samples of the variants the examples do not show.</summary>
    public static string Samples => Path.Combine(RepositoryRoot, "tests", "Redoubt.Kubernetes.Tests", "samples");

    /// <summary>Relative to the repository root, e.g. "examples/redis.yaml".</summary>
    public static IEnumerable<string> ExampleFiles() =>
        new[] { Examples, Samples }
            .Where(Directory.Exists)
            .SelectMany(dir => Directory.GetFiles(dir, "*.yaml").Order(StringComparer.Ordinal))
            .Select(file => Path.GetRelativePath(RepositoryRoot, file).Replace('\\', '/'));

    /// <summary>golden/examples/redis.render.yaml for examples/redis.yaml.</summary>
    public static string GoldenFor(string example) =>
        Path.Combine(Golden, Path.GetFileName(Path.GetDirectoryName(example)) ?? "", Path.GetFileNameWithoutExtension(example) + ".render.yaml");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Redoubt.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no Redoubt.slnx above {AppContext.BaseDirectory}");
    }
}
