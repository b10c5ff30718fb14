using Redoubt.Core;
using Redoubt.Web;

namespace Redoubt.Kubernetes;

/// <summary>
/// Whether the operator serves the dashboard: only with a token, from the file <c>--dashboard-token-file</c> (else
/// <c>$REDOUBT_DASHBOARD_TOKEN_FILE</c>) names, meant to be a mounted Secret. An operator has no home to keep a token
/// in and no terminal of a user to print one to; its listener is on every interface, so the token is the user's own.
/// Without a usable one the operator serves metrics only: a dashboard misconfigured must not stop it reconciling.
/// </summary>
public static class OperatorDashboardToken
{
    public const string Option = "--dashboard-token-file";
    public const string EnvironmentVariable = "REDOUBT_DASHBOARD_TOKEN_FILE";

    /// <summary>What <c>deploy/operator.yaml</c> mounts: the optional Secret redoubt-system/redoubt-dashboard, key token.</summary>
    public const string DeployedSecret = "redoubt-dashboard";

    /// <summary>Where the token is, for the answer to a request without it.</summary>
    public const string TokenHelp =
        "open /?token=<token> once, or send Authorization: Bearer <token>; the token is in the file the operator's "
        + Option + " names (with deploy/: the Secret " + DeployedSecret + ", key token, in the operator's namespace)";

    private const string HowToTurnOn =
        "put a token of at least 32 characters in a file and give it with " + Option + " FILE or $" + EnvironmentVariable
        + " (with deploy/: kubectl -n redoubt-system create secret generic " + DeployedSecret + " --from-literal=token=\"$(openssl rand -hex 24)\", "
        + "then kubectl -n redoubt-system rollout restart deployment/redoubt-operator)";

    /// <summary>The token; or null and the one line that says why the dashboard is off and how to turn it on (never the token).</summary>
    /// <param name="option">The value of <see cref="Option"/>; null or empty: <see cref="EnvironmentVariable"/>.</param>
    /// <returns><c>Misconfigured</c>: the file is there but gives no token, which deserves a warning rather than a note.</returns>
    public static (WebToken? Token, string? Off, bool Misconfigured) Resolve(string? option) =>
        Resolve(option, Environment.GetEnvironmentVariable(EnvironmentVariable));

    /// <param name="environment">The value of <see cref="EnvironmentVariable"/>.</param>
    public static (WebToken? Token, string? Off, bool Misconfigured) Resolve(string? option, string? environment)
    {
        var file = string.IsNullOrWhiteSpace(option) ? environment : option;
        if (string.IsNullOrWhiteSpace(file))
        {
            return (null, $"The dashboard is off (no token file): serving metrics only; to turn it on, {HowToTurnOn}", false);
        }

        if (!File.Exists(file))
        {
            // As deploy/ leaves it until the Secret is made: the optional Secret's volume is mounted empty.
            return (null, $"The dashboard is off (no token file at {file}): serving metrics only; to turn it on, {HowToTurnOn}", false);
        }

        try
        {
            return (WebToken.ReadFrom(file), null, false);
        }
        catch (RedoubtException e)
        {
            return (null, $"The dashboard is off ({e.Message}): serving metrics only; to turn it on, {HowToTurnOn}", true);
        }
    }
}
