using Redoubt.Core.ControlPlane;

namespace Redoubt.Output;

/// <summary>
/// `credentials -o json`: everything a program needs to connect, password included, since that is what the caller
/// asked for; the connection string carries it too so it can be used as is.
/// </summary>
public sealed record CredentialsDocument(
    string Namespace,
    string Name,
    string MasterName,
    IReadOnlyList<string> Sentinels,
    string? Master,
    bool AuthEnabled,
    string? Password,
    string ConnectionString)
{
    /// <summary>The CA file a TLS client trusts (<c>TrustIssuer</c>, <c>redis-cli --cacert</c>); absent without TLS.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? CertificateAuthorityFile { get; init; }

    /// <summary>The dashboard's address (without its token) and the metrics', when the control plane serves them.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Dashboard { get; init; }

    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Metrics { get; init; }

    public static CredentialsDocument From(Credentials credentials) => new(
        credentials.Namespace,
        credentials.Name,
        credentials.MasterName,
        credentials.Sentinels,
        credentials.Master,
        credentials.AuthEnabled,
        credentials.AuthEnabled ? credentials.Password : null,
        credentials.StackExchangeConnectionString(includePassword: true))
    {
        CertificateAuthorityFile = credentials.CertificateAuthorityFile,
    };
}
