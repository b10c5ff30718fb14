namespace Redoubt.Core.Planning;

/// <summary>
/// Where a node of a TLS resource finds its certificate, its private key and the resource's CA, as paths the node
/// reads. A platform whose one file serves several nodes (a StatefulSet's pods) leaves the certificate and key null
/// and passes each node's own on its command line. <see cref="Issued"/> names the certificate now in <see cref="CertificateFile"/> (its thumbprint): it is not
/// rendered, but a Sentinel, which cannot load a new certificate at run time, is restarted when it changes.
/// </summary>
public sealed record TlsFiles(string? CertificateFile, string? KeyFile, string AuthorityFile)
{
    public string? Issued { get; init; }
}
