// How the examples connect: what `redoubt credentials NAME -o json` prints, read from standard input so the password
// is never on a command line, then Redoubt.Client's RedoubtConnection, which follows a failover as soon as the
// Sentinels have completed it.
using System.Text.Json;
using Redoubt.Client;

namespace Redoubt.Examples.Shared;

public sealed record ExampleCredentials(string Name, string MasterName, IReadOnlyList<string> Sentinels, string? Password, string? CertificateAuthorityFile)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

    /// <summary>Reads `redoubt credentials NAME -o json`; a missing field is named in the error.</summary>
    public static ExampleCredentials Parse(string json)
    {
        ExampleCredentials? credentials;
        try
        {
            credentials = JsonSerializer.Deserialize<ExampleCredentials>(json, Json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"standard input: not the JSON of `redoubt credentials NAME -o json` ({e.Message})", e);
        }

        if (credentials is null || string.IsNullOrEmpty(credentials.MasterName) || credentials.Sentinels is not { Count: > 0 })
        {
            throw new FormatException("standard input: expected `redoubt credentials NAME -o json` with masterName and at least one of sentinels; is the resource Ready?");
        }

        return credentials;
    }

    public Task<RedoubtConnection> ConnectAsync(CancellationToken cancellationToken) =>
        RedoubtConnection.ConnectAsync(Sentinels, MasterName, Password, new RedoubtConnectionOptions { CertificateAuthorityFile = CertificateAuthorityFile }, cancellationToken);
}
