namespace Redoubt.Client;

/// <summary>
/// Where a Redoubt resource is and how to reach it, as <c>redoubt credentials NAME</c> prints it; what
/// <c>services.AddRedoubtRedis(...)</c> binds from a configuration section (<c>Sentinels</c>, <c>MasterName</c>,
/// <c>Password</c> or <c>PasswordFile</c>, <c>CertificateAuthorityFile</c>) or a delegate sets.
/// </summary>
public sealed class RedoubtRedisOptions
{
    /// <summary>The Sentinels, "host:port" each.</summary>
    public IList<string> Sentinels { get; } = [];

    /// <summary>The name the Sentinels know the master by; Redoubt's resources all use "mymaster".</summary>
    public string MasterName { get; set; } = "mymaster";

    /// <summary>The password of the nodes and Sentinels; null when the resource has auth off or <see cref="PasswordFile"/> is set.</summary>
    public string? Password { get; set; }

    /// <summary>
    /// A file holding the password (a mounted secret, <c>redoubt credentials NAME --password-only &gt; file</c>), read
    /// when the connection is made; its trailing newline is not part of the password.
    /// </summary>
    public string? PasswordFile { get; set; }

    /// <summary>For a resource with TLS on: the file of its CA certificate (<c>redoubt credentials NAME</c> names it).</summary>
    public string? CertificateAuthorityFile { get; set; }

    /// <summary>How quickly the connection gives up on a node and looks for the new master; the defaults suit Redoubt.</summary>
    public RedoubtConnectionOptions Tuning { get; set; } = new();
}
