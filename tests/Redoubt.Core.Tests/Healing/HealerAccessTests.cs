using Redoubt.Core.Access;
using Redoubt.Core.Healing;
using Redoubt.Core.Observation;
using Redoubt.Core.Planning;
using Redoubt.Core.Tests.Fixtures;

namespace Redoubt.Core.Tests.Healing;

/// <summary>Users and logins that differ from the plan are repaired like settings: Redoubt's own users first, the application user last.</summary>
public sealed class HealerAccessTests
{
    private static readonly ResourcePlan Plan = TestPlans.Of(replicas: 3);
    private static readonly ResourceSecrets Secrets = new("app", new RedoubtPasswords("admin", "replication", "sentinel"));
    private static readonly AccessPlan Access = AccessPlan.From(Secrets)!;

    private static HealContext Context => HealContexts.At() with { Access = Access };

    private static Dictionary<string, AclEntry> Users(IEnumerable<AclUser> users) =>
        users.ToDictionary(u => u.Name, u => u.Expected(), StringComparer.Ordinal);

    private static RedisNodeObservation Migrated(RedisNodeObservation node) =>
        node with { Acl = Users(Access.RedisUsers), MasterUser = AclUsers.Replication, MasterAuthHash = Access.ReplicationPasswordHash };

    private static SentinelObservation Migrated(SentinelObservation sentinel) =>
        sentinel with { Acl = Users(Access.SentinelUsers), PeerUser = AclUsers.Sentinel, PeerAuthHash = Access.SentinelPasswordHash };

    private static ClusterObservation Healthy() =>
        ObservedClusters.Healthy(Plan) is var o ? o with { Nodes = [.. o.Nodes.Select(Migrated)], Sentinels = [.. o.Sentinels.Select(Migrated)] } : null!;

    /// <summary>A node as a version before ACL users left it: requirepass on the default user, nothing else.</summary>
    private static RedisNodeObservation Legacy(RedisNodeObservation node) => node with
    {
        Acl = new Dictionary<string, AclEntry>(StringComparer.Ordinal) { ["default"] = new("default", true, [PasswordHash.Of("app")], false, "~* &* +@all") },
        MasterUser = "",
        MasterAuthHash = PasswordHash.Of("app"),
    };

    private static SentinelObservation Legacy(SentinelObservation sentinel) => sentinel with
    {
        Acl = new Dictionary<string, AclEntry>(StringComparer.Ordinal) { ["default"] = new("default", true, [PasswordHash.Of("app")], false, "~* &* +@all") },
        PeerUser = "",
        PeerAuthHash = null,
    };

    [Fact]
    public void AResourceWhoseUsersAreAsPlannedNeedsNothing() =>
        Assert.Empty(Healer.Decide(Plan, Healthy(), Context).Actions);

    [Fact]
    public void ALoginIsProvenOnlyWhereTheApplicationUserIsReadAsPlanned()
    {
        var o = Healthy();
        var changed = o.Nodes[0] with { Acl = Users(Access.RedisUsers.Select(u => u.Name == "default" ? u with { PasswordHashes = [PasswordHash.Of("other")] } : u)) };
        var disabled = o.Nodes[1] with { Acl = new Dictionary<string, AclEntry>(Users(Access.RedisUsers)) { ["default"] = Users(Access.RedisUsers)["default"] with { Enabled = false } } };
        var unread = o.Sentinels[0] with { Acl = null };
        var legacy = Legacy(o.Sentinels[1]);
        // A stranger user elsewhere on the node says nothing about the application's login.
        var stranger = o.Nodes[2] with { Acl = new Dictionary<string, AclEntry>(Users(Access.RedisUsers)) { ["intruder"] = new("intruder", true, [], true, "~* +@all") } };
        var observation = o with { Nodes = [changed, disabled, stranger], Sentinels = [unread, legacy, o.Sentinels[2]] };

        var proven = AccessRules.LoginProven(observation, Access);

        Assert.Equal(new[] { stranger.Address!, o.Sentinels[2].Address! }.Order(StringComparer.Ordinal), proven.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void AResourceCreatedBeforeAclUsersGetsRedoubtsOwnUsersFirstAndNothingElse()
    {
        var o = Healthy();
        var observation = o with { Nodes = [.. o.Nodes.Select(Legacy)], Sentinels = [.. o.Sentinels.Select(Legacy)] };

        var decision = Healer.Decide(Plan, observation, Context);

        Assert.Equal(
            [
                "users redis-0 redoubt-admin,redoubt-replication,redoubt-sentinel",
                "users redis-1 redoubt-admin,redoubt-replication,redoubt-sentinel",
                "users redis-2 redoubt-admin,redoubt-replication,redoubt-sentinel",
                "users sentinel-0 redoubt-admin,redoubt-sentinel",
                "users sentinel-1 redoubt-admin,redoubt-sentinel",
                "users sentinel-2 redoubt-admin,redoubt-sentinel",
            ],
            Steps.Of(decision.ActionsForThisPass()));
    }

    [Fact]
    public void OnceEveryNodeHasThemTheLoginsSwitchThenTheApplicationUserIsLimited()
    {
        // What the first step leaves: Redoubt's users everywhere, the old logins, the default user still all-powerful.
        var o = Healthy();
        var observation = o with
        {
            Nodes = [.. o.Nodes.Select(n => n with { MasterUser = "", MasterAuthHash = PasswordHash.Of("app"), Acl = Users(Access.RedisUsers.Select(u => u.Name == "default" ? u with { Rules = "~* &* +@all" } : u)) })],
            Sentinels = [.. o.Sentinels.Select(s => s with { PeerUser = "", PeerAuthHash = null, Acl = Users(Access.SentinelUsers.Select(u => u.Name == "default" ? u with { Rules = "&* +@all" } : u)) })],
        };

        var decision = Healer.Decide(Plan, observation, Context);

        Assert.Equal(
            [
                "replication login redis-0", "replication login redis-1", "replication login redis-2",
                "sentinel logins sentinel-0", "sentinel logins sentinel-1", "sentinel logins sentinel-2",
                "users redis-0 default", "users redis-1 default", "users redis-2 default",
                "users sentinel-0 default", "users sentinel-1 default", "users sentinel-2 default",
            ],
            Steps.Of(decision.ActionsForThisPass()));
        Assert.All(decision.Actions, a => Assert.False(a.Disruptive));
    }

    [Fact]
    public void AChangedApplicationPasswordIsSetBackAndTheEventSaysSoWithoutThePassword()
    {
        var o = Healthy();
        var hijacked = o.Nodes[0] with { Acl = Users(Access.RedisUsers.Select(u => u.Name == "default" ? u with { PasswordHashes = [PasswordHash.Of("hijacked")] } : u)) };

        var repair = Assert.IsType<RepairUsers>(Assert.Single(Healer.Decide(Plan, o.With(hijacked), Context).Actions));

        Assert.Equal("users redis-0 default", Steps.Of(repair));
        Assert.Equal("default: its password changed", repair.Reason);
        Assert.DoesNotContain("hijacked", repair.Describe() + repair.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AStrangerIsRemovedWithRedoubtsOwnUsers()
    {
        var o = Healthy();
        var node = o.Nodes[1] with { Acl = new Dictionary<string, AclEntry>(o.Nodes[1].Acl!, StringComparer.Ordinal) { ["backdoor"] = new("backdoor", true, [], true, "~* &* +@all") } };

        var repair = Assert.IsType<RepairUsers>(Assert.Single(Healer.Decide(Plan, o.With(node), Context).Actions));

        Assert.Equal("users redis-1 -backdoor", Steps.Of(repair));
    }

    [Fact]
    public void AReplicaLoggingInToItsMasterWithAnotherPasswordGetsItsLoginBack()
    {
        var o = Healthy();

        var action = Assert.Single(Healer.Decide(Plan, o.With(o.Nodes[2] with { MasterAuthHash = PasswordHash.Of("other") }), Context).Actions);

        Assert.Equal("replication login redis-2", Steps.Of(action));
    }

    [Fact]
    public void WithoutAnAccessPlanUsersAreNotLookedAt()
    {
        var o = Healthy();

        Assert.Empty(Healer.Decide(Plan, o.With(Legacy(o.Nodes[0])), HealContexts.At()).Actions);
    }
}
