using Microsoft.AspNetCore.Builder;
using Redoubt.Core.ControlPlane;

namespace Redoubt.Web;

/// <summary>Everything the web listener serves for a local control plane, in one place.</summary>
public static class WebRoutes
{
    public static void MapLocal(WebApplication app, WebToken token, IControlPlane controlPlane)
    {
    }
}
