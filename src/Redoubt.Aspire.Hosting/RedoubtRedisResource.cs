using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting;

/// <summary>
/// A Redoubt Redis resource in an Aspire AppHost: a replicated Redis (one master, replicas, Sentinels) run by Redoubt's
/// local control plane inside the AppHost. Its connection string, for StackExchange.Redis and Aspire's Redis client
/// integrations, is the master endpoint with the application's password: one address that always reaches the master.
/// </summary>
public sealed class RedoubtRedisResource : Resource, IResourceWithConnectionString, IResourceWithWaitSupport
{
    private readonly ConnectionStringValue _connectionString;

    public RedoubtRedisResource(string name, RedoubtRedisOptions options) : base(name)
    {
        Options = options;
        _connectionString = new ConnectionStringValue(this);
    }

    public RedoubtRedisOptions Options { get; }

    /// <summary>Set once the resource is Ready: until then whoever needs the connection string waits for it.</summary>
    internal TaskCompletionSource<string> ConnectionString { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Whether Redoubt reports the resource Ready now (the health check's answer).</summary>
    internal volatile bool Ready;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create($"{_connectionString}");

    /// <summary>The connection string once Redoubt has created the resource (its endpoint and password exist only then).</summary>
    private sealed class ConnectionStringValue(RedoubtRedisResource owner) : IValueProvider, IManifestExpressionProvider
    {
        public string ValueExpression => $"{{{owner.Name}.connectionString}}";

        public async ValueTask<string?> GetValueAsync(CancellationToken cancellationToken = default) =>
            await owner.ConnectionString.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }
}
