using Redoubt.Core.Access;
using Redoubt.Core.Platform;

namespace Redoubt.Core.Tests.Access;

public sealed class AclDriftTests
{
    private static readonly ResourceSecrets Secrets = new("app", new RedoubtPasswords("admin", "replication", "sentinel"));
    private static readonly IReadOnlyList<AclUser> Wanted = AclUsers.For(NodeKind.Redis, Secrets);

    /// <summary>ACL LIST as a node with exactly the wanted users prints it.</summary>
    private static List<string> Listed() =>
        [.. Wanted.Select(u => $"user {u.Name} on sanitize-payload #{u.PasswordHashes.Single()} {u.Rules}")];

    private static IReadOnlyList<string> Verdict(IEnumerable<string> lines) =>
        [.. AclDrift.Compare(Wanted, AclEntry.ParseAll(lines)).Select(d => d.ToString())];

    public static TheoryData<string, string, string> Drifts => new()
    {
        // what was done (by someone with admin rights), the line of the user afterwards, what the verdict names
        { "CONFIG SET requirepass", $"user default on #{PasswordHash.Of("hijacked")} {AclUsers.ApplicationOnRedis}", "default: its password changed" },
        { "ACL SETUSER default >second", $"user default on #{PasswordHash.Of("app")} #{PasswordHash.Of("second")} {AclUsers.ApplicationOnRedis}", "default: its password changed" },
        { "ACL SETUSER default nopass", $"user default on nopass {AclUsers.ApplicationOnRedis}", "default: its password was removed" },
        { "ACL SETUSER default +@all", $"user default on #{PasswordHash.Of("app")} ~* &* +@all", "default: its permissions changed" },
        { "ACL SETUSER redoubt-sentinel off", $"user redoubt-sentinel off #{PasswordHash.Of("sentinel")} {AclUsers.SentinelOnRedis}", "redoubt-sentinel: disabled" },
        { "ACL SETUSER redoubt-replication +config", $"user redoubt-replication on #{PasswordHash.Of("replication")} {AclUsers.ReplicationRules} +config", "redoubt-replication: its permissions changed" },
    };

    [Theory]
    [MemberData(nameof(Drifts))]
    public void AChangedUserIsNamedWithWhatChangedAndNeverThePassword(string done, string line, string verdict)
    {
        var name = line.Split(' ')[1];
        var lines = Listed().Where(l => l.Split(' ')[1] != name).Append(line);

        var differences = Verdict(lines);

        Assert.True(differences.SequenceEqual([verdict]), $"after {done}: {string.Join("; ", differences)}");
        Assert.DoesNotContain(differences, d => d.Contains("hijacked", StringComparison.Ordinal) || d.Contains("second", StringComparison.Ordinal));
    }

    [Fact]
    public void ANodeWithExactlyTheWantedUsersHasNoDrift() => Assert.Empty(Verdict(Listed()));

    [Fact]
    public void ANodeStartedBeforeAclUsersLacksRedoubtsUsersAndItsDefaultUserMayDoEverything()
    {
        var differences = Verdict([$"user default on #{PasswordHash.Of("app")} ~* &* +@all"]);

        Assert.Equal(["redoubt-admin: missing", "redoubt-replication: missing", "redoubt-sentinel: missing", "default: its permissions changed"], differences);
    }

    [Fact]
    public void AUserRedoubtDidNotCreateIsNamed() =>
        Assert.Equal(["backdoor: not a user Redoubt created"], Verdict([.. Listed(), "user backdoor on nopass ~* &* +@all"]));

    [Fact]
    public void WithAuthOffTheApplicationUserHasNoPasswordAndAPasswordIsDrift()
    {
        var wanted = AclUsers.For(NodeKind.Redis, Secrets with { Application = null });
        var lines = wanted.Select(u => $"user {u.Name} on {(u.PasswordHashes.Count == 0 ? "nopass" : "#" + u.PasswordHashes.Single())} {u.Rules}").ToList();

        Assert.Empty(AclDrift.Compare(wanted, AclEntry.ParseAll(lines)));
        var withPassword = lines.Select(l => l.StartsWith("user default ", StringComparison.Ordinal) ? $"user default on #{PasswordHash.Of("x")} {AclUsers.ApplicationOnRedis}" : l);
        Assert.Equal(["default: a password was set"], AclDrift.Compare(wanted, AclEntry.ParseAll(withPassword)).Select(d => d.ToString()));
    }

    [Fact]
    public void APlatformWithOnePasswordHasNoUsersToCompare() =>
        Assert.Empty(AclUsers.For(NodeKind.Sentinel, new ResourceSecrets("app", null)));
}
