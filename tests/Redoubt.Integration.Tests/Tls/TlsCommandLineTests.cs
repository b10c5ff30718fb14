using System.Text.Json;
using Redoubt.Integration.Tests.EndToEnd;
using Redoubt.Integration.Tests.Infrastructure;

namespace Redoubt.Integration.Tests.Tls;

/// <summary>What `redoubt credentials` tells the user of a TLS resource.</summary>
public sealed class TlsCommandLineTests
{
    [Fact]
    public async Task CredentialsNameTheCaFileAndConnectWithTls()
    {
        using var cli = new RedoubtCli();
        cli.Serve();
        await BadInputTests.WaitForControlPlaneAsync(cli);
        var file = RedoubtCli.WriteFile("secure.yaml", "apiVersion: apps.cozystack.io/v1alpha1\nkind: Redis\nmetadata:\n  name: secure\nspec:\n  replicas: 2\n  tls:\n    enabled: true\n");
        Assert.Equal(0, (await cli.RunAsync("apply", "-f", file)).Exit);
        await cli.WaitReadyAsync("secure");
        var authority = Path.Combine(cli.Home, "resources", "default", "secure", "ca.crt");

        var (jsonExit, json, _) = await cli.RunAsync("credentials", "secure", "-o", "json");
        Assert.Equal(0, jsonExit);
        var credentials = JsonDocument.Parse(json).RootElement;
        Assert.Equal(authority, credentials.GetProperty("certificateAuthorityFile").GetString());
        Assert.Contains(",ssl=true,password=", credentials.GetProperty("connectionString").GetString(), StringComparison.Ordinal);

        var (textExit, text, _) = await cli.RunAsync("credentials", "secure");
        Assert.Equal(0, textExit);
        Assert.Contains($"TLS CA certificate:   {authority}", text, StringComparison.Ordinal);
        Assert.Contains("serviceName=mymaster," + Core.ControlPlane.Credentials.FastFailoverSettings + ",ssl=true,password=<password>", text, StringComparison.Ordinal);
        Assert.Contains($"redis-cli --tls --cacert {authority} -h ", text, StringComparison.Ordinal);
        Assert.DoesNotContain(credentials.GetProperty("password").GetString()!, text, StringComparison.Ordinal);
    }
}
