namespace Redoubt.Platforms.Local;

/// <summary>The layout of one resource's folder under the home: spec, status, secret, ports, and one folder per node.</summary>
internal sealed class ResourceFolder(string home, string @namespace, string name)
{
    public const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public string Root { get; } = Path.Combine(home, "resources", @namespace, name);
    public string ResourceFile => Path.Combine(Root, "resource.json");
    public string StatusFile => Path.Combine(Root, "status.json");
    /// <summary>The application's password, what <c>credentials</c> gives.</summary>
    public string SecretFile => Path.Combine(Root, "password");
    /// <summary>The last rotation of the application password, and the password it replaced while that one still works.</summary>
    public string RotationFile => Path.Combine(Root, "password-rotation");
    public string AdminSecretFile => Path.Combine(Root, "admin-password");
    public string ReplicationSecretFile => Path.Combine(Root, "replication-password");
    public string SentinelSecretFile => Path.Combine(Root, "sentinel-password");
    public string PortsFile => Path.Combine(Root, "ports.json");
    public string UidFile => Path.Combine(Root, "uid");
    /// <summary>The resource's CA certificate (what clients trust) and its private key (mode 0600), for a TLS resource.</summary>
    public string AuthorityFile => Path.Combine(Root, "ca.crt");
    public string AuthorityKeyFile => Path.Combine(Root, "ca.key");

    public string NodeDirectory(string node) => Path.Combine(Root, node);
    public string DataDirectory(string node) => Path.Combine(Root, node, "data");
    public string ConfigFile(string node) => Path.Combine(Root, node, node.StartsWith("sentinel", StringComparison.Ordinal) ? "sentinel.conf" : "redis.conf");
    public string LogFile(string node) => Path.Combine(Root, node, node.StartsWith("sentinel", StringComparison.Ordinal) ? "sentinel.log" : "redis.log");
    public string OutputFile(string node) => Path.Combine(Root, node, "output.log");
    public string PidFile(string node) => Path.Combine(Root, node, "pid");
    public string RevisionFile(string node) => Path.Combine(Root, node, "revision");
    /// <summary>A node's TLS certificate and private key (mode 0600): stable paths, so a renewal rewrites them in place.</summary>
    public string CertificateFile(string node) => Path.Combine(Root, node, "tls.crt");
    public string KeyFile(string node) => Path.Combine(Root, node, "tls.key");

    /// <summary>
    /// The resource's folder and its namespace's, both 0700. CreateDirectory gives the mode to the last folder only: the
    /// namespace folder it creates on the way would be 0755, and one left so by an earlier version is tightened here.
    /// </summary>
    public void EnsureRoot()
    {
        var namespaceFolder = Path.GetDirectoryName(Root)!;
        Directory.CreateDirectory(namespaceFolder, PrivateDirectory);
        if (File.GetUnixFileMode(namespaceFolder) != PrivateDirectory)
        {
            File.SetUnixFileMode(namespaceFolder, PrivateDirectory);
        }

        Directory.CreateDirectory(Root, PrivateDirectory);
    }

    public void EnsureNodeDirectories(string node)
    {
        EnsureRoot();
        Directory.CreateDirectory(NodeDirectory(node), PrivateDirectory);
        Directory.CreateDirectory(DataDirectory(node), PrivateDirectory);
    }

    public IEnumerable<string> ExistingNodes() =>
        Directory.Exists(Root)
            ? Directory.EnumerateDirectories(Root).Select(Path.GetFileName).OfType<string>().Where(n => n.StartsWith("redis-", StringComparison.Ordinal) || n.StartsWith("sentinel-", StringComparison.Ordinal))
            : [];
}
