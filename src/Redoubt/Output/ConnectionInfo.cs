using System.Text;
using Redoubt.Core.ControlPlane;
using Redoubt.Core.Platform;

namespace Redoubt.Output;

/// <summary>
/// How to connect to a resource, as `credentials` prints it and `up` shows once the nodes are ready. The password
/// appears only when asked for, and never on a command line that would land in the shell history or in `ps`.
/// </summary>
public static class ConnectionInfo
{
    /// <param name="redoubt">How to invoke redoubt in the printed commands, e.g. "redoubt" or "redoubt --home /srv/redis".</param>
    public static string Render(Credentials credentials, bool showPassword, string redoubt = "redoubt")
    {
        var text = new StringBuilder();
        text.Append("redis ").Append(credentials.Namespace).Append('/').Append(credentials.Name).Append('\n');
        Field(text, "Sentinel master name", credentials.MasterName);
        Field(text, "Sentinels", credentials.Sentinels.Count == 0 ? "none yet" : string.Join(", ", credentials.Sentinels));
        if (credentials.Endpoint is { } endpoint)
        {
            Field(text, "Master endpoint", $"{endpoint} (always the master, whichever node it is)");
            Field(text, "URL", credentials.EndpointUrl(includePassword: false)!);
        }

        Field(text, "Master now", credentials.Master is null ? "none elected yet" : $"{credentials.Master} (Sentinel clients ask the Sentinels)");
        Field(text, "StackExchange.Redis", credentials.StackExchangeConnectionString(includePassword: false)
            + (credentials.AuthEnabled ? ",password=<password>" : ""));
        if (credentials.CertificateAuthorityFile is { } authority)
        {
            Field(text, "TLS CA certificate", $"{authority} (StackExchange.Redis: options.TrustIssuer(\"{authority}\"))");
        }

        Field(text, "redis-cli", RedisCli(credentials, redoubt));
        if (!credentials.AuthEnabled)
        {
            Field(text, "Password", "none (authEnabled: false)");
        }
        else if (showPassword && credentials.Password is not null)
        {
            Field(text, "Password", credentials.Password);
        }
        else
        {
            Field(text, "Password", $"hidden: add --show-password, or print it alone with `{PasswordCommand(credentials, redoubt)}`");
        }
        return text.ToString();
    }

    /// <summary>The command that prints only the password, for <c>REDISCLI_AUTH=$(...)</c> and scripts.</summary>
    public static string PasswordCommand(Credentials credentials, string redoubt) =>
        $"{redoubt} credentials {ShellQuote.Quote(credentials.Name)}" +
        (credentials.Namespace == "default" ? "" : $" -n {ShellQuote.Quote(credentials.Namespace)}") +
        " --password-only";

    private static string RedisCli(Credentials credentials, string redoubt)
    {
        var auth = credentials.AuthEnabled ? $"REDISCLI_AUTH=\"$({PasswordCommand(credentials, redoubt)})\" " : "";
        var tls = credentials.CertificateAuthorityFile is { } authority ? $" --tls --cacert {ShellQuote.Quote(authority)}" : "";
        if ((credentials.Endpoint ?? credentials.Master) is { } master)
        {
            var (host, port) = Endpoints.Parse(master);
            return $"{auth}redis-cli{tls} -h {host} -p {port}";
        }
        if (credentials.Sentinels.Count > 0)
        {
            var (host, port) = Endpoints.Parse(credentials.Sentinels[0]);
            return $"{auth}redis-cli{tls} -h {host} -p {port} SENTINEL get-master-addr-by-name {credentials.MasterName}";
        }
        return "not reachable yet: no master and no Sentinel is up";
    }

    private static void Field(StringBuilder text, string label, string value) =>
        text.Append("  ").Append((label + ":").PadRight(22)).Append(value).Append('\n');
}
