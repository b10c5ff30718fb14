namespace Redoubt.Kubernetes.Cluster.Tests;

internal static class TestPaths
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string Deploy(string file) => Path.Combine(RepositoryRoot, "deploy", file);

    public static string BinariesScript => Path.Combine(RepositoryRoot, "tests", "cluster", "kube-binaries.sh");

    /// <summary>The project's examples and the Kubernetes suite's samples, relative to the repository root.</summary>
    public static IEnumerable<string> ExampleFiles() =>
        new[] { Path.Combine(RepositoryRoot, "examples"), Path.Combine(RepositoryRoot, "tests", "Redoubt.Kubernetes.Tests", "samples") }
            .Where(Directory.Exists)
            .SelectMany(dir => Directory.GetFiles(dir, "*.yaml").Order(StringComparer.Ordinal))
            .Select(file => Path.GetRelativePath(RepositoryRoot, file).Replace('\\', '/'));

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
