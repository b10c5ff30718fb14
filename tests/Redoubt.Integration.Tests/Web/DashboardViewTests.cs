using Redoubt.Model;
using Redoubt.Web.Dashboard;

namespace Redoubt.Integration.Tests.Web;

public sealed class DashboardViewTests
{
    [Theory]
    [InlineData("gland", "Gland")]
    [InlineData("lucerne", "Lucerne")]
    [InlineData("geneve", "Genève")]
    [InlineData("zurich", "Zurich")]
    [InlineData("", "(no zone)")]
    public void ZonesAreShownByTheirTownsName(string zone, string label) => Assert.Equal(label, ZoneLabel.Of(zone));

    [Fact]
    public void TheDefaultZonesAreTheColumnsInTheirOrder()
    {
        var view = DashboardView.Of(Resource(), new FailoverTimeline());
        Assert.Equal(["gland", "lucerne", "geneve"], view.Zones.Select(z => z.Name));
        Assert.Equal(["Gland", "Lucerne", "Genève"], view.Zones.Select(z => z.Label));
    }

    [Fact]
    public void ANodeInAZoneNoLongerDeclaredStillGetsAColumn()
    {
        var resource = Resource();
        resource.Spec.Zones = ["a", "b"];
        resource.Status = new RedisStatus { Nodes = [new NodeStatus { Name = "redis-2", Zone = "c", Role = "replica" }] };

        Assert.Equal(["a", "b", "c"], DashboardView.Of(resource, new FailoverTimeline()).Zones.Select(z => z.Name));
    }

    [Fact]
    public void TheLastFailoverOfTheStatusJoinsTheTimeline()
    {
        var resource = Resource();
        resource.Status = new RedisStatus { LastFailover = new FailoverRecord { From = "redis-0", To = "redis-1", Time = DateTimeOffset.UnixEpoch } };

        Assert.Equal("redis-1", Assert.Single(DashboardView.Of(resource, new FailoverTimeline()).Failovers).To);
    }

    private static RedisResource Resource() => new()
    {
        Metadata = new ObjectMeta { Namespace = "default", Name = "shop" },
        Spec = new RedisSpec(),
    };
}
