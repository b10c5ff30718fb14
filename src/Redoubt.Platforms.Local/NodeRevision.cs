using System.Globalization;

namespace Redoubt.Platforms.Local;

/// <summary>
/// What a node process was started from, kept next to its pid file: the restart-only part of its configuration
/// (<see cref="Core.Planning.Revisions"/>), the resource's restart request, and the binary on disk. When what the
/// platform would start now differs, the node is outdated and the healer restarts it in turn.
/// </summary>
internal sealed record NodeRevision(string Config, string RestartedAt, string Binary)
{
    public const string Missing = "missing";

    /// <summary>Config hashes an earlier version wrote for the same configuration (<see cref="Core.Planning.Revisions.EarlierOfRedis"/>).</summary>
    public IReadOnlyList<string> EarlierConfigs { get; init; } = [];

    /// <summary>
    /// The revision file of a node started by an earlier version, rewritten the way this one writes it (the config hash
    /// only; what it was started with otherwise stays): null when there is nothing to rewrite.
    /// </summary>
    public NodeRevision? Upgraded(NodeRevision? running) =>
        running is not null && running.Config != Config && EarlierConfigs.Contains(running.Config) ? running with { Config = Config } : null;

    public void Write(string path) =>
        AtomicFile.Write(path, $"config {Config}\nrestartedAt {RestartedAt}\nbinary {Binary}\n", durable: false);

    /// <summary>Null when the file is missing or unreadable: a node started before revisions were kept is not restarted for that.</summary>
    public static NodeRevision? Read(string path)
    {
        if (AtomicFile.ReadOrNull(path) is not { } text)
        {
            return null;
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var parts in text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(' ', 2)).Where(parts => parts.Length == 2))
        {
            // A field written twice is a file this code did not write (a restart request with a line break in it,
            // which validation now refuses, forged the lines after it): unreadable, rather than an exception every pass.
            if (!fields.TryAdd(parts[0], parts[1]))
            {
                return null;
            }
        }

        return fields.TryGetValue("config", out var config) && fields.TryGetValue("restartedAt", out var restartedAt) && fields.TryGetValue("binary", out var binary)
            ? new NodeRevision(config, restartedAt, binary)
            : null;
    }

    /// <summary>Why a process started from <paramref name="running"/> does not match this revision; null when it does.</summary>
    public string? WhyOutdated(NodeRevision? running, string binaryName)
    {
        if (running is null)
        {
            return null;
        }

        // A request removed from the resource restarts nothing; a new one restarts every node.
        if (RestartedAt.Length > 0 && running.RestartedAt != RestartedAt)
        {
            return $"a restart was requested ({RestartedAt})";
        }

        // A binary that cannot be read now (removed, or replaced this instant) is no reason to stop a running node.
        if (running.Binary != Binary && Binary != Missing)
        {
            return $"{binaryName} changed on disk (an upgrade)";
        }

        return running.Config != Config && !EarlierConfigs.Contains(running.Config) ? "its configuration changed in a way only a restart applies" : null;
    }

    /// <summary>The file a command runs (found on PATH, links followed), its size and modification time.</summary>
    public static string BinaryIdentity(string command)
    {
        var path = Path.IsPathRooted(command) ? command : OnPath(command);
        if (path is null || !File.Exists(path))
        {
            return Missing;
        }

        try
        {
            var file = new FileInfo(path);
            var target = file.ResolveLinkTarget(returnFinalTarget: true) as FileInfo ?? file;
            return target.Exists
                ? string.Create(CultureInfo.InvariantCulture, $"{target.FullName}:{target.Length}:{target.LastWriteTimeUtc.Ticks}")
                : Missing;
        }
        catch (IOException)
        {
            // Replaced between the check and the read (an upgrade in progress): the next pass reads it again.
            return Missing;
        }
    }

    /// <summary>
    /// Where PATH finds a command, looked up at most once a second: every node of every resource asks on every pass,
    /// and each look-up is a stat call per PATH entry. The file found is still examined on every call.
    /// </summary>
    private static string? OnPath(string command)
    {
        var now = Environment.TickCount64;
        if (Found.TryGetValue(command, out var cached) && now - cached.At < 1000)
        {
            return cached.Path;
        }

        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, command))
            .FirstOrDefault(File.Exists);
        Found[command] = (path, now);
        return path;
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, (string? Path, long At)> Found = new(StringComparer.Ordinal);
}
