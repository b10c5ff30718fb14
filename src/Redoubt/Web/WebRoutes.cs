using Microsoft.AspNetCore.Builder;
using Prometheus;
using Redoubt.Core.ControlPlane;
using Redoubt.Kubernetes;
using Redoubt.Metrics;
using Redoubt.Platforms.Local;
using Redoubt.Web.Dashboard;

namespace Redoubt.Web;

/// <summary>Everything the web listener serves for a local control plane, and for the operator, in one place.</summary>
public static class WebRoutes
{
    public static void MapLocal(WebApplication app, WebToken token, LocalControlPlane controlPlane)
    {
        DashboardEndpoints.Map(app, token, controlPlane, DashboardAccess.LocalTokenHelp);
    }

    /// <summary>Metrics, unguarded; the dashboard too when there is one (the operator was given a token).</summary>
    public static void MapOperator(WebApplication app, WebToken token, CollectorRegistry metrics, IDashboardSource? dashboard)
    {
        MetricsRoute.Map(app, metrics);
        if (dashboard is not null)
        {
            DashboardEndpoints.Map(app, token, dashboard, OperatorDashboardToken.TokenHelp);
        }
    }
}
