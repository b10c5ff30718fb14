namespace Redoubt.Kubernetes.Tests.Dashboard;

/// <summary>When the operator serves its dashboard: only with a token from a file, and never says the token.</summary>
public sealed class OperatorDashboardTokenTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("redoubt-token-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void WithoutATokenFileTheDashboardIsOffAndTheLineSaysHowToTurnItOn()
    {
        var (token, off, misconfigured) = OperatorDashboardToken.Resolve(option: null, environment: null);

        Assert.Null(token);
        Assert.False(misconfigured);
        Assert.Contains("The dashboard is off", off, StringComparison.Ordinal);
        Assert.Contains(OperatorDashboardToken.Option, off, StringComparison.Ordinal);
        Assert.Contains("$" + OperatorDashboardToken.EnvironmentVariable, off, StringComparison.Ordinal);
    }

    [Fact]
    public void AnOptionalSecretNotCreatedYetLeavesTheDashboardOffWithoutAWarning()
    {
        var missing = Path.Combine(_folder, "token");

        var (token, off, misconfigured) = OperatorDashboardToken.Resolve(option: null, environment: missing);

        Assert.Null(token);
        Assert.False(misconfigured);
        Assert.Contains($"no token file at {missing}", off, StringComparison.Ordinal);
        Assert.Contains($"create secret generic {OperatorDashboardToken.DeployedSecret}", off, StringComparison.Ordinal);
    }

    [Fact]
    public void TheTokenIsTheFilesTextWithoutItsLineEndAndTheOptionComesBeforeTheEnvironment()
    {
        var value = new string('t', 47) + "7";
        var file = Write("token", value + "\n");

        var (token, off, _) = OperatorDashboardToken.Resolve(option: file, environment: Path.Combine(_folder, "elsewhere"));

        Assert.Null(off);
        Assert.NotNull(token);
        Assert.True(token.Matches(value));
        Assert.False(token.Matches(value + "\n"));
    }

    [Fact]
    public void AShortTokenIsRefusedWithAWarningThatDoesNotSayIt()
    {
        const string Short = "sesame-sesame";
        var file = Write("token", Short);

        var (token, off, misconfigured) = OperatorDashboardToken.Resolve(option: file, environment: null);

        Assert.Null(token);
        Assert.True(misconfigured);
        Assert.Contains($"has {Short.Length} characters, fewer than 32", off, StringComparison.Ordinal);
        Assert.DoesNotContain(Short, off, StringComparison.Ordinal);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }
}
