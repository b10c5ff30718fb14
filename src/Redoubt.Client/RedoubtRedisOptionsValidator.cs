using Microsoft.Extensions.Options;

namespace Redoubt.Client;

/// <summary>
/// Checks <see cref="RedoubtRedisOptions"/> before a connection is made, naming each wrong setting by its configuration
/// key (<c>Redis:Sentinels:1</c>), or by its property when the options come from code.
/// </summary>
internal sealed class RedoubtRedisOptionsValidator(string? sectionPath) : IValidateOptions<RedoubtRedisOptions>
{
    public ValidateOptionsResult Validate(string? name, RedoubtRedisOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = Check(options, sectionPath).ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>What is wrong with <paramref name="options"/>, one sentence per setting; nothing when they can be used.</summary>
    public static IEnumerable<string> Check(RedoubtRedisOptions options, string? sectionPath)
    {
        string Key(string setting) => sectionPath is { Length: > 0 } ? $"{sectionPath}:{setting}" : $"{nameof(RedoubtRedisOptions)}.{setting}";

        if (options.Sentinels.Count == 0)
        {
            yield return $"{Key(nameof(options.Sentinels))} is empty: list the Sentinels as host:port (redoubt credentials NAME prints them)";
        }

        for (var i = 0; i < options.Sentinels.Count; i++)
        {
            if (!IsHostAndPort(options.Sentinels[i]))
            {
                yield return $"{Key($"{nameof(options.Sentinels)}:{i}")} is '{options.Sentinels[i]}': expected host:port, e.g. 127.10.0.1:26379";
            }
        }

        if (string.IsNullOrWhiteSpace(options.MasterName))
        {
            yield return $"{Key(nameof(options.MasterName))} is empty: set the name the Sentinels know the master by (mymaster for Redoubt)";
        }

        if (options.Password is not null && options.PasswordFile is not null)
        {
            yield return $"{Key(nameof(options.Password))} and {Key(nameof(options.PasswordFile))} are both set: set one of them";
        }

        if (options.PasswordFile is { } passwordFile && !File.Exists(passwordFile))
        {
            yield return $"{Key(nameof(options.PasswordFile))} is '{passwordFile}', which does not exist";
        }

        if (options.CertificateAuthorityFile is { } authority && !File.Exists(authority))
        {
            yield return $"{Key(nameof(options.CertificateAuthorityFile))} is '{authority}', which does not exist";
        }
    }

    private static bool IsHostAndPort(string? address)
    {
        if (string.IsNullOrWhiteSpace(address))
        {
            return false;
        }

        var colon = address.LastIndexOf(':');
        return colon > 0
            && int.TryParse(address.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port)
            && port is > 0 and <= 65535;
    }
}
