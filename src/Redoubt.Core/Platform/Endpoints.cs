using System.Globalization;

namespace Redoubt.Core.Platform;

public static class Endpoints
{
    public static string Format(string host, int port) =>
        host.Contains(':', StringComparison.Ordinal)
            ? $"[{host}]:{port.ToString(CultureInfo.InvariantCulture)}"
            : $"{host}:{port.ToString(CultureInfo.InvariantCulture)}";

    public static (string Host, int Port) Parse(string address)
    {
        var colon = address.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(address.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new FormatException($"not a host:port address: '{address}'");
        }

        var host = address[..colon];
        var bracketed = host.StartsWith('[') && host.EndsWith(']');
        if (!bracketed && host.Contains(':', StringComparison.Ordinal))
        {
            // "::1" alone is an IPv6 address without a port; with one it is written "[::1]:6379".
            throw new FormatException($"not a host:port address: '{address}' (write IPv6 addresses as [host]:port)");
        }

        return (bracketed ? host[1..^1] : host, port);
    }
}
