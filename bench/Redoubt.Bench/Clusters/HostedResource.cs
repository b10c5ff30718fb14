using Redoubt.Model;
using Redoubt.Platforms.Local;

namespace Redoubt.Bench.Clusters;

/// <summary>
/// One resource among many on a control plane the bench owns elsewhere, seen as a setup the fault scenarios can
/// measure. Disposing it does nothing: the control plane and its nodes belong to whoever started them.
/// </summary>
internal sealed class HostedResource(LocalControlPlane controlPlane, string name) : BenchCluster
{
    public override string Name => name;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var credentials = await controlPlane.GetCredentialsAsync(RedoubtCluster.Namespace, name, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"the control plane has no credentials for {name}");
        Sentinels = credentials.Sentinels;
        Password = credentials.Password;
    }

    public async Task<RedisStatus> StatusAsync(CancellationToken cancellationToken) =>
        (await controlPlane.GetAsync(RedoubtCluster.Namespace, name, cancellationToken).ConfigureAwait(false))?.Status ?? new RedisStatus();

    protected override async Task<string?> NotReadyBecauseAsync(CancellationToken cancellationToken)
    {
        var status = await StatusAsync(cancellationToken).ConfigureAwait(false);
        return status.Phase == Phases.Ready ? null : $"phase {status.Phase}";
    }

    public override async Task<int> PidOfAsync(string address, CancellationToken cancellationToken) =>
        (await StatusAsync(cancellationToken).ConfigureAwait(false)).Nodes.FirstOrDefault(n => n.Address == address)?.Pid
            ?? throw new InvalidOperationException($"the status of {name} has no pid for {address}");

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
