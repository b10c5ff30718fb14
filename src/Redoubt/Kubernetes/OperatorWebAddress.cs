using System.Net;
using Redoubt.Web;

namespace Redoubt.Kubernetes;

/// <summary>
/// Where the operator serves /metrics. Unlike the local control plane's (loopback), its default is every interface
/// on <see cref="WebAddress.DefaultPort"/>: in a pod, Prometheus scrapes the pod's IP, and the Deployment's scrape
/// annotations name that port. It serves metrics only, which carry no secret. The port is not moved when taken: the
/// annotations could not follow it, so a clash is an error that names the option.
/// </summary>
public static class OperatorWebAddress
{
    public static WebAddress Default => new(new IPEndPoint(IPAddress.Any, WebAddress.DefaultPort), Explicit: true);

    /// <summary><c>--web</c>, else <c>$REDOUBT_WEB</c>, else <see cref="Default"/>; null for "off".</summary>
    public static WebAddress? Resolve(string? option) =>
        string.IsNullOrWhiteSpace(option) && string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(WebAddress.EnvironmentVariable))
            ? Default
            : WebAddress.Resolve(option);
}
