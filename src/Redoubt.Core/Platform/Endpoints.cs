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
        if (colon <= 0 || !int.TryParse(address.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            throw new FormatException($"not a host:port address: '{address}'");
        }

        var host = address[..colon].Trim('[', ']');
        return (host, port);
    }
}
