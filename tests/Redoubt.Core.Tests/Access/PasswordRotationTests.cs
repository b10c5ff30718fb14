using Redoubt.Core.Access;

namespace Redoubt.Core.Tests.Access;

public sealed class PasswordRotationTests
{
    private static readonly DateTimeOffset Now = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(10);

    private static Func<string> Generator(params string[] passwords)
    {
        var queue = new Queue<string>(passwords);
        return () => queue.Dequeue();
    }

    [Fact]
    public void ANewRequestMakesANewPasswordAndKeepsTheOldOneForTheGrace()
    {
        var stored = new StoredApplicationPassword("old", null, null);

        var next = PasswordRotation.Next(stored, new RotationRequest("r1", Grace), Now, Generator("new"));

        Assert.Equal(new StoredApplicationPassword("new", "r1", new RetiringPassword("old", Now + Grace)), next);
    }

    [Fact]
    public void TheSameRequestAgainChangesNothing()
    {
        var rotating = new StoredApplicationPassword("new", "r1", new RetiringPassword("old", Now + Grace));

        Assert.Equal(rotating, PasswordRotation.Next(rotating, new RotationRequest("r1", Grace), Now.AddMinutes(1), Generator()));
    }

    [Fact]
    public void AfterTheGraceTheOldPasswordIsDropped()
    {
        var rotating = new StoredApplicationPassword("new", "r1", new RetiringPassword("old", Now + Grace));

        Assert.Equal(rotating with { Retiring = null }, PasswordRotation.Next(rotating, new RotationRequest("r1", Grace), Now + Grace, Generator()));
        Assert.Equal(rotating with { Retiring = null }, PasswordRotation.Next(rotating, null, Now + Grace, Generator()));
    }

    [Fact]
    public void AGraceOfZeroRetiresTheOldPasswordAtOnce()
    {
        var next = PasswordRotation.Next(new StoredApplicationPassword("old", null, null), new RotationRequest("r1", TimeSpan.Zero), Now, Generator("new"));

        Assert.Equal(new StoredApplicationPassword("new", "r1", null), next);
    }

    [Fact]
    public void ARequestDuringAGraceEndsThatGraceAndStartsItsOwn()
    {
        var rotating = new StoredApplicationPassword("second", "r1", new RetiringPassword("first", Now + Grace));

        var next = PasswordRotation.Next(rotating, new RotationRequest("r2", Grace), Now.AddMinutes(1), Generator("third"));

        Assert.Equal(new StoredApplicationPassword("third", "r2", new RetiringPassword("second", Now.AddMinutes(1) + Grace)), next);
    }

    [Fact]
    public void ARotationStoredWithoutItsNewPasswordIsCarriedOutWithTheSameGrace()
    {
        // The platform stored the rotation, then stopped before it stored the new password.
        var interrupted = new StoredApplicationPassword("old", "r1", new RetiringPassword("old", Now + Grace));

        var next = PasswordRotation.Next(interrupted, new RotationRequest("r1", Grace), Now.AddSeconds(5), Generator("new"));

        Assert.Equal(new StoredApplicationPassword("new", "r1", new RetiringPassword("old", Now + Grace)), next);
    }

    [Fact]
    public void APasswordCreatedWithARequestOnTheResourceIsNotRotatedAgain()
    {
        var created = PasswordRotation.Created("first", new RotationRequest("r1", Grace));

        Assert.Equal(created, PasswordRotation.Next(created, new RotationRequest("r1", Grace), Now, Generator()));
    }

    [Fact]
    public void TheRecordRoundTripsAndAnUnreadableOneMeansNothingHandled()
    {
        var rotating = new StoredApplicationPassword("new", "r 1\n\"x\"", new RetiringPassword("old", Now + Grace));

        Assert.Equal(rotating, RotationRecord.Read("new", RotationRecord.Write(rotating)));
        Assert.Equal(new StoredApplicationPassword("new", null, null), RotationRecord.Read("new", "{not json"));
        Assert.Equal(new StoredApplicationPassword("new", null, null), RotationRecord.Read("new", null));
    }

    [Fact]
    public void DuringTheGraceTheApplicationUserTakesBothPasswordsAndANodeWithOnlyTheOldOneAwaitsTheRotation()
    {
        var secrets = new ResourceSecrets("new", new RedoubtPasswords("admin", "replication", "sentinel")) { Retiring = new RetiringPassword("old", Now + Grace) };
        var wanted = AclUsers.For(Redoubt.Core.Platform.NodeKind.Redis, secrets);
        var application = wanted.Single(u => u.Name == AclUsers.Application);
        string Line(params string[] passwords) => $"user default on {string.Join(' ', passwords.Select(p => "#" + PasswordHash.Of(p)))} {AclUsers.ApplicationOnRedis}";
        AclEntry Entry(string line) => AclEntry.Parse(line)!;

        Assert.Equal(["default: its password changed"], AclDrift.Compare([application], AclEntry.ParseAll([Line("old")])).Select(d => d.ToString()));
        Assert.Empty(AclDrift.Compare([application], AclEntry.ParseAll([Line("old", "new")])));
        Assert.Empty(AclDrift.Compare([application], AclEntry.ParseAll([Line("new", "old")])));
        Assert.True(AclDrift.AwaitsRotation(application, Entry(Line("old"))));
        Assert.False(AclDrift.AwaitsRotation(application, Entry(Line("old", "new"))));
        Assert.False(AclDrift.AwaitsRotation(application, Entry(Line("hijacked"))));
        Assert.False(AclDrift.AwaitsRotation(application, Entry(Line("old", "hijacked"))));
        Assert.False(AclDrift.AwaitsRotation(application, Entry($"user default on #{PasswordHash.Of("old")} ~* &* +@all")));

        // After the grace, the old password is drift like any other: the healer takes it away.
        var after = AclUsers.For(Redoubt.Core.Platform.NodeKind.Redis, secrets with { Retiring = null }).Single(u => u.Name == AclUsers.Application);
        Assert.Equal(["default: its password changed"], AclDrift.Compare([after], AclEntry.ParseAll([Line("old", "new")])).Select(d => d.ToString()));
        Assert.Equal(["on", "#" + PasswordHash.Of("new"), "#" + PasswordHash.Of("old")], application.SetUserArguments().Skip(1).Take(3));
    }
}
