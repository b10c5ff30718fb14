using System.Text.Json;
using Redoubt.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Redoubt.Integration.Tests.Metrics;

/// <summary>A real Prometheus scraping a real `redoubt serve`, and what it shows when the master is killed.</summary>
public sealed class PrometheusScrapeTests(ITestOutputHelper output)
{
    private const string Resource = """
        apiVersion: apps.cozystack.io/v1alpha1
        kind: Redis
        metadata:
          name: metered
          namespace: default
        spec:
          replicas: 2
        """;

    private const string Of = "namespace=\"default\", resource=\"metered\"";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task AKilledMasterShowsInPrometheusAsAMasterChangeAFailoverOfCauseExitAndANewMasterRole()
    {
        using var cli = new RedoubtCli();
        var serve = cli.Serve();
        var metrics = await MetricsAddress.OfAsync(cli, serve);
        var (applyExit, _, applyErr) = await cli.RunAsync("apply", "-f", RedoubtCli.WriteFile("metered.yaml", Resource));
        Assert.True(applyExit == 0, applyErr);
        var ready = (await cli.WaitReadyAsync("metered")).GetProperty("status");
        var oldMaster = MasterNode(ready);
        await using var prometheus = await PrometheusServer.StartAsync([metrics.Authority], output);

        // Before the kill: the counter is there at 0 (so an increase is seen), and the role gauge names the master.
        await prometheus.WaitForAsync($"redoubt_resource_master_changes_total{{{Of}}}", r => r is [{ Value: 0 }], "the master-changes counter at 0", Deadline);
        await prometheus.WaitForAsync($"redoubt_node_role{{{Of}, role=\"master\"}} == 1", r => r is [var s] && s.Labels["node"] == oldMaster.Name,
            $"{oldMaster.Name} as the master", Deadline);

        Processes.Signal(oldMaster.Pid, Processes.SigKill);

        await prometheus.WaitForAsync($"redoubt_resource_master_changes_total{{{Of}}}", r => r is [{ Value: >= 1 }], "the master-changes counter at 1 or more", Deadline);
        await prometheus.WaitForAsync($"redoubt_resource_failover_duration_seconds_count{{{Of}, cause=\"exit\"}}", r => r is [{ Value: >= 1 }],
            "a failover of cause exit in the duration histogram", Deadline);
        await prometheus.WaitForAsync($"increase(redoubt_resource_master_changes_total{{{Of}}}[1m]) > 0", r => r.Count == 1,
            "the increase the RedoubtFailoverHappened alert fires on", Deadline);
        var after = (await cli.WaitForAsync("metered", r => r.GetProperty("status") is var s && s.GetProperty("phase").GetString() == "Ready"
            && MasterNode(s).Name != oldMaster.Name, "Ready with another master")).GetProperty("status");
        var newMaster = MasterNode(after);
        await prometheus.WaitForAsync($"redoubt_node_role{{{Of}, role=\"master\"}} == 1", r => r is [var s] && s.Labels["node"] == newMaster.Name,
            $"{newMaster.Name}, the new master, as the only master", Deadline);
        await prometheus.WaitForAsync($"redoubt_node_role{{{Of}, node=\"{oldMaster.Name}\", role=\"replica\"}} == 1", r => r.Count == 1,
            $"{oldMaster.Name}, restarted, as a replica", Deadline);
    }

    private static (string Name, int Pid) MasterNode(JsonElement status)
    {
        var master = status.GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("role").GetString() == "master");
        return (master.GetProperty("name").GetString()!, master.GetProperty("pid").GetInt32());
    }
}
