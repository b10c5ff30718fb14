using Xunit.Abstractions;
using Xunit.Sdk;

namespace Redoubt.Integration.Tests.Infrastructure;

/// <summary>
/// A partition scenario: a test that exists only in the test run <c>PartitionScenarioRun</c> starts inside a network
/// namespace of its own. In any other run it is not discovered at all (so it never runs in the host's namespace);
/// <c>PartitionScenarioRun</c> runs every scenario there, reports each, and fails when it cannot.
/// </summary>
[XunitTestCaseDiscoverer("Redoubt.Integration.Tests.Infrastructure.PartitionScenarioDiscoverer", "Redoubt.Integration.Tests")]
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class PartitionScenarioAttribute : FactAttribute;

/// <summary>Discovers a <see cref="PartitionScenarioAttribute"/> test as a fact inside the scenarios' namespace, and not at all elsewhere.</summary>
public sealed class PartitionScenarioDiscoverer(IMessageSink diagnostics) : IXunitTestCaseDiscoverer
{
    private readonly FactDiscoverer _facts = new(diagnostics);

    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute) =>
        TestNetworkNamespace.Inside ? _facts.Discover(discoveryOptions, testMethod, factAttribute) : [];
}
