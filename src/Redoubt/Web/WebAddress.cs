using System.Globalization;
using System.Net;
using Redoubt.Core;

namespace Redoubt.Web;

/// <summary>
/// Where the control plane's web listener (metrics and the dashboard) binds: <c>--web</c>, else <c>$REDOUBT_WEB</c>,
/// else <see cref="DefaultPort"/> on 127.0.0.1, moving to a free port when that one is taken. "off" turns it off.
/// </summary>
public sealed record WebAddress(IPEndPoint EndPoint, bool Explicit)
{
    public const string EnvironmentVariable = "REDOUBT_WEB";
    public const int DefaultPort = 9480;
    public const string Off = "off";
    public const string AllowedText = "\"off\" or ADDRESS:PORT with an IP address and a port from 0 to 65535 (0: any free port), e.g. 127.0.0.1:9480";

    public static WebAddress Default => new(new IPEndPoint(IPAddress.Loopback, DefaultPort), Explicit: false);

    /// <summary>Null when the listener is off; throws <see cref="RedoubtException"/> naming <paramref name="source"/> on bad text.</summary>
    public static WebAddress? Resolve(string? option, string source = "--web")
    {
        var text = option;
        if (string.IsNullOrWhiteSpace(text))
        {
            text = Environment.GetEnvironmentVariable(EnvironmentVariable);
            source = EnvironmentVariable;
        }
        if (string.IsNullOrWhiteSpace(text))
        {
            return Default;
        }
        if (string.Equals(text.Trim(), Off, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        return Parse(text.Trim(), source);
    }

    public static WebAddress Parse(string text, string source)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0
            || !IPAddress.TryParse(text[..colon].Trim('[', ']'), out var address)
            || !int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || port > IPEndPoint.MaxPort)
        {
            throw new RedoubtException($"{source}: \"{text}\" is not a listen address: expected {AllowedText}");
        }
        return new WebAddress(new IPEndPoint(address, port), Explicit: true);
    }
}
