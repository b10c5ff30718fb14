using System.CommandLine;
using System.Text.Json;
using Redoubt.Api;
using Redoubt.Core;
using Redoubt.Output;
using Redoubt.Terminal;
using Redoubt.Web;

namespace Redoubt.Commands;

public static class CredentialsCommand
{
    private static readonly JsonSerializerOptions Indented = new(ApiJson.Options) { WriteIndented = true };

    public static Command Create()
    {
        var name = CommonOptions.Name();
        var @namespace = CommonOptions.Namespace();
        var output = CommonOptions.Output("Output format; json includes the password", "text", "json");
        var showPassword = new Option<bool>("--show-password") { Description = "Include the password in the text output" };
        var passwordOnly = new Option<bool>("--password-only") { Description = "Print only the password, e.g. for REDISCLI_AUTH=$(...)" };
        var rotate = new Option<bool>("--rotate") { Description = "Make a new password first; the old one keeps working for the grace period, then stops" };
        var grace = new Option<string?>("--grace")
        {
            Description = "With --rotate: how long the old password keeps working (30s, 10m, 1h30m; 0s stops it at once) [default: 10m]",
            HelpName = "DURATION",
        };
        var command = new Command("credentials", "How to connect: Sentinels, master name, connection string and password")
        {
            name, @namespace, output, showPassword, passwordOnly, rotate, grace,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var invocation = Invocation.From(parseResult);
            var (resourceNamespace, resourceName) = (parseResult.GetRequiredValue(@namespace), parseResult.GetRequiredValue(name));
            var rotation = PasswordRotationRequest.Read(parseResult.GetValue(rotate), parseResult.GetValue(grace));
            using var client = invocation.Connect();
            if (rotation is { } period)
            {
                await PasswordRotationRequest.RunAsync(client, resourceNamespace, resourceName, period, invocation, cancellationToken);
            }

            var credentials = await client.GetCredentialsAsync(resourceNamespace, resourceName, cancellationToken)
                ?? throw NotFound.Resource(resourceNamespace, resourceName, invocation);

            if (parseResult.GetValue(passwordOnly))
            {
                if (!credentials.AuthEnabled || credentials.Password is null)
                {
                    throw new RedoubtException($"redis {resourceNamespace}/{resourceName} has no password: its spec sets authEnabled: false");
                }
                ConsoleText.WriteLine(credentials.Password);
            }
            else if (parseResult.GetRequiredValue(output) == "json")
            {
                var web = WebEndpoints.Read(invocation.Home.Path);
                var document = CredentialsDocument.From(credentials) with { Dashboard = web?.Dashboard.ToString(), Metrics = web?.Metrics.ToString() };
                ConsoleText.WriteLine(JsonSerializer.Serialize(document, Indented));
            }
            else
            {
                ConsoleText.Write(ConnectionInfo.Render(credentials, parseResult.GetValue(showPassword), invocation.Redoubt));
                // After the control plane answered: a file left by a killed one is gone by then.
                ConsoleText.Write(WebInfo.Render(WebEndpoints.Read(invocation.Home.Path), indent: "  ", labelWidth: 22));
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
