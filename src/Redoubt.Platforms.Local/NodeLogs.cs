namespace Redoubt.Platforms.Local;

/// <summary>Where the local platform writes each node's own log (Redis' or Sentinel's <c>logfile</c>), for `redoubt logs`.</summary>
public static class NodeLogs
{
    /// <summary>The nodes and Sentinels that have a folder under the resource, sorted; null when the resource has no folder.</summary>
    public static IReadOnlyList<string>? Nodes(string home, string @namespace, string name)
    {
        var folder = new ResourceFolder(home, @namespace, name);
        return Directory.Exists(folder.Root) ? [.. folder.ExistingNodes().Order(StringComparer.Ordinal)] : null;
    }

    public static string PathOf(string home, string @namespace, string name, string node) =>
        new ResourceFolder(home, @namespace, name).LogFile(node);
}
