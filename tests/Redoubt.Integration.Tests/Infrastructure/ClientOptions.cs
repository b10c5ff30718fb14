using Redoubt.Core.ControlPlane;
using StackExchange.Redis;

namespace Redoubt.Integration.Tests.Infrastructure;

internal static class ClientOptions
{
    /// <summary>What an application does: find the master through the Sentinels with serviceName.</summary>
    public static ConfigurationOptions ThroughSentinels(Credentials credentials)
    {
        var options = ConfigurationOptions.Parse(credentials.StackExchangeConnectionString(includePassword: true));
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 2000;
        options.SyncTimeout = 2000;
        options.AsyncTimeout = 2000;
        if (credentials.CertificateAuthorityFile is { } authority)
        {
            // The connection string says ssl=true; trusting the resource's CA is the application's part.
            options.TrustIssuer(authority);
        }

        return options;
    }
}
