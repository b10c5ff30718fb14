namespace Redoubt.Bench;

internal sealed class ScaleCommand(BenchOptions options, BenchHome home)
{
    public Task<int> RunAsync(CancellationToken cancellationToken) => Task.FromResult(options.Resources + home.Root.Length - home.Root.Length);
}
