using System.Text;
using Redoubt.Web;

namespace Redoubt.Output;

/// <summary>Where the dashboard and metrics are, as `up`, `credentials` and `describe` print it.</summary>
public static class WebInfo
{
    /// <summary>
    /// For `up`: the dashboard's address with its token (the user started the control plane in this very terminal,
    /// so the token is theirs to see), the metrics and the control plane's log file.
    /// </summary>
    public static string RenderForUp(Uri? dashboardWithToken, WebEndpoints? endpoints, string logFile)
    {
        var text = new StringBuilder();
        if (dashboardWithToken is not null && endpoints is not null)
        {
            Field(text, "Dashboard", dashboardWithToken.ToString());
            Field(text, "Metrics", endpoints.Metrics.ToString());
        }
        else
        {
            Field(text, "Dashboard", "off (--web off)");
        }
        Field(text, "Control-plane log", $"{logFile} (--verbose prints it here)");
        return text.ToString();
    }

    /// <summary>For `credentials` and `describe`: addresses only, and where the token is kept.</summary>
    /// <param name="labelWidth">The width of the labels around it, to line up with them.</param>
    public static string Render(WebEndpoints? endpoints, string indent, int labelWidth)
    {
        var text = new StringBuilder();
        if (endpoints is null)
        {
            Field(text, "Dashboard", "off (the control plane runs with --web off)", indent, labelWidth);
            return text.ToString();
        }
        Field(text, "Dashboard", $"{endpoints.Dashboard} (add ?token= with the token in {endpoints.TokenFile})", indent, labelWidth);
        Field(text, "Metrics", endpoints.Metrics.ToString(), indent, labelWidth);
        return text.ToString();
    }

    private static void Field(StringBuilder text, string label, string value, string indent = "", int labelWidth = 19) =>
        text.Append(indent).Append((label + ":").PadRight(labelWidth)).Append(value).Append('\n');
}
