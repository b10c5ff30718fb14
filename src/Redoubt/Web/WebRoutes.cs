using Microsoft.AspNetCore.Builder;
using Redoubt.Platforms.Local;
using Redoubt.Web.Dashboard;

namespace Redoubt.Web;

/// <summary>Everything the web listener serves for a local control plane, in one place.</summary>
public static class WebRoutes
{
    public static void MapLocal(WebApplication app, WebToken token, LocalControlPlane controlPlane)
    {
        DashboardEndpoints.Map(app, token, controlPlane, DashboardAccess.LocalTokenHelp);
    }
}
