using Microsoft.Extensions.Options;

namespace Redoubt.Client;

/// <summary>Makes the <see cref="RedoubtConnection"/> that <c>AddRedoubtRedis</c> registers, from the validated options.</summary>
internal static class RedoubtRedisConnector
{
    /// <summary>How long the container waits for the connection; with AbortOnConnectFail off it is made even while nodes are down.</summary>
    public static readonly TimeSpan ConnectLimit = TimeSpan.FromSeconds(30);

    public static RedoubtConnection Connect(IOptions<RedoubtRedisOptions> options)
    {
        // Reading Value runs the validation: a wrong setting fails here with every key named, before any connection.
        var settings = options.Value;
        var password = settings.PasswordFile is { } file ? ReadPassword(file) : settings.Password;
        var tuning = WithAuthority(settings.Tuning, settings.CertificateAuthorityFile);
        using var limit = new CancellationTokenSource(ConnectLimit);
        // A service factory is synchronous; the connection is made once, when the multiplexer is first resolved.
        return RedoubtConnection.ConnectAsync(settings.Sentinels, settings.MasterName, password, tuning, limit.Token).GetAwaiter().GetResult();
    }

    /// <summary>The password from its file, without the newline a shell or a secret mount leaves at its end.</summary>
    public static string ReadPassword(string file) => File.ReadAllText(file).TrimEnd('\r', '\n');

    private static RedoubtConnectionOptions WithAuthority(RedoubtConnectionOptions tuning, string? authority) =>
        authority is null ? tuning : new RedoubtConnectionOptions
        {
            ConnectTimeout = tuning.ConnectTimeout,
            CommandTimeout = tuning.CommandTimeout,
            Heartbeat = tuning.Heartbeat,
            KeepAlive = tuning.KeepAlive,
            RoleCheck = tuning.RoleCheck,
            SentinelPollInterval = tuning.SentinelPollInterval,
            SentinelPollLimit = tuning.SentinelPollLimit,
            QueueWhileDisconnected = tuning.QueueWhileDisconnected,
            CertificateAuthorityFile = authority,
        };
}
