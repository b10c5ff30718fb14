namespace Aspire.Hosting;

/// <summary>How <see cref="RedoubtRedisBuilderExtensions.AddRedoubtRedis"/> runs the resource.</summary>
public sealed class RedoubtRedisOptions
{
    /// <summary>Redis nodes (one master, the rest replicas), as <c>spec.replicas</c>; 2 by default, as the reference platform.</summary>
    public int Replicas { get; set; } = 2;

    /// <summary>
    /// More of the resource's spec, as YAML lines under <c>spec:</c> (for example <c>"persistenceMode: aof"</c>);
    /// validated like any resource file, and a wrong field stops the resource with the error.
    /// </summary>
    public IList<string> Spec { get; } = [];

    /// <summary>Redoubt's state folder (nodes' data, configs, passwords); by default <c>.redoubt</c> in the AppHost's folder.</summary>
    public string? Home { get; set; }

    /// <summary>The loopback prefix of the zone addresses; <c>127.10</c> by default, as <c>redoubt up</c>.</summary>
    public string ZoneNetwork { get; set; } = "127.10";

    /// <summary>First port tried for the Redis nodes (and the master endpoint); Sentinels start 20000 higher.</summary>
    public int PortBase { get; set; } = 6379;

    /// <summary>Whether the nodes stop with the AppHost (the data stays in <see cref="Home"/> for the next run); true by default.</summary>
    public bool StopNodesWithAppHost { get; set; } = true;
}
