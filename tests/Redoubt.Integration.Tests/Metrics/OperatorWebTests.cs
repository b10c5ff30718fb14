using Redoubt.Integration.Tests.Infrastructure;
using Redoubt.Kubernetes;

namespace Redoubt.Integration.Tests.Metrics;

/// <summary>Where the operator serves /metrics, and what it says about a bad address.</summary>
public sealed class OperatorWebTests
{
    [Fact]
    public async Task ABadWebAddressIsRefusedNamingTheOptionBeforeAnythingStarts()
    {
        using var cli = new RedoubtCli();

        var (exit, _, err) = await cli.RunAsync("operator", "--web", "everywhere", "--kubeconfig", "/nonexistent/kubeconfig");

        Assert.NotEqual(0, exit);
        Assert.Contains("--web: \"everywhere\" is not a listen address", err, StringComparison.Ordinal);
        Assert.DoesNotContain("kubeconfig", err, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("3601")]
    public async Task AWatchTimeoutOutsideItsRangeIsRefusedWithTheAllowedValues(string seconds)
    {
        using var cli = new RedoubtCli();

        var (exit, _, err) = await cli.RunAsync("operator", "--watch-timeout", seconds, "--kubeconfig", "/nonexistent/kubeconfig");

        Assert.NotEqual(0, exit);
        Assert.Contains($"--watch-timeout: {seconds} is not allowed; allowed: 1 to 3600 seconds", err, StringComparison.Ordinal);
        Assert.DoesNotContain("nonexistent", err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "0.0.0.0:9480")]
    [InlineData("127.0.0.1:9999", "127.0.0.1:9999")]
    public void InAPodItListensOnEveryInterfaceUnlessTold(string? option, string expected)
    {
        Assert.Null(Environment.GetEnvironmentVariable(Redoubt.Web.WebAddress.EnvironmentVariable));

        Assert.Equal(expected, OperatorWebAddress.Resolve(option)!.EndPoint.ToString());
    }

    [Fact]
    public void OffTurnsItOff()
    {
        Assert.Null(OperatorWebAddress.Resolve("off"));
    }
}
