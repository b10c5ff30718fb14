using Redoubt.Model;
using Redoubt.Platforms.Kubernetes.Manifests;

namespace Redoubt.Platforms.Kubernetes;

/// <summary>
/// What the Kubernetes platform gives the command line for <c>redoubt render</c>; <c>redoubt operator</c> runs an
/// <see cref="Operator.OperatorHost"/>, which the command line creates so it can serve the host's dashboard beside it.
/// </summary>
public static class KubernetesCommands
{
    /// <summary>
    /// Validates <paramref name="file"/> like every other command (all of it, before printing anything), then prints
    /// the objects the operator would apply for each resource. Returns 0, or 1 with one line per error.
    /// </summary>
    public static Task<int> RenderAsync(string file, TextWriter output, TextWriter error, CancellationToken ct) =>
        RenderAsync(file, new ManifestOptions(), output, error, ct);

    public static async Task<int> RenderAsync(string file, ManifestOptions options, TextWriter output, TextWriter error, CancellationToken ct)
    {
        if (!File.Exists(file))
        {
            await error.WriteLineAsync($"{file}: no such file");
            return 1;
        }

        return await RenderTextAsync(await File.ReadAllTextAsync(file, ct), file, options, output, error, ct);
    }

    /// <summary>The same, for YAML the caller has already read (standard input, say); errors name <paramref name="fileName"/>.</summary>
    public static async Task<int> RenderTextAsync(string yaml, string fileName, ManifestOptions options, TextWriter output, TextWriter error, CancellationToken ct)
    {
        var load = ResourceLoader.Load(yaml, fileName);
        if (load.Errors.Count > 0)
        {
            foreach (var problem in load.Errors)
            {
                await error.WriteLineAsync(problem.ToString());
            }

            return 1;
        }

        for (var i = 0; i < load.Resources.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            if (i > 0)
            {
                await output.WriteAsync("---\n");
            }

            await output.WriteAsync(ManifestWriter.ToYaml(load.Resources[i], options));
        }

        await output.FlushAsync(ct);
        return 0;
    }
}
