namespace Redoubt.Integration.Tests.Infrastructure;

/// <summary>
/// Whether this test process runs inside the network namespace that <c>PartitionScenarioRun</c> creates for the
/// partition scenarios (it sets <see cref="Variable"/> to the namespace's name for the test run it starts there).
/// Zone namespaces are wired to the namespace the tests run in, so they are built only there, never in the host's.
/// </summary>
internal static class TestNetworkNamespace
{
    public const string Variable = "REDOUBT_TEST_NETNS";

    public const string HostVariable = "REDOUBT_TEST_HOST_NETNS";

    public static string? Name => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } name ? name : null;

    /// <summary>The identity of the host's network namespace, where zone namespaces must not be wired.</summary>
    public static string? Host => Environment.GetEnvironmentVariable(HostVariable) is { Length: > 0 } host ? host : null;

    public static bool Inside => Name is not null && Host is { } host && Platforms.Local.ZoneNamespaceNetwork.WhyNotHere(host) is null;
}
